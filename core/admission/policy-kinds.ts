/**
 * The kinds that make up a policy set rather than objects to review: on their own so that a scan can tell
 * them apart without loading the VAP engine (CEL and its libraries), which only `--policy` needs.
 */
export const POLICY_KINDS: ReadonlySet<string> = new Set([
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);
