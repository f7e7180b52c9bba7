import type { Reference, Severity } from '../model/index.js';
import type { BoundPolicy, PolicyBinding } from './policy-set.js';
import { policySeverity } from './policy-severity.js';

/** One policy's verdict on one object, ready to become a finding. */
export interface PolicyViolation {
  /** The finding's rule id (the policy's name): a violation is its own finding metadata. */
  id: string;
  ruleId: string;
  title: string;
  severity: Severity;
  evidence: string;
  description: string;
  remediation: string;
  references: Reference[];
}

/** A violation already made for one message, with what else it was made from. */
interface KnownViolation {
  reason: string;
  validationIndex: number | undefined;
  violation: PolicyViolation;
}

/** What every violation of one policy through one binding says alike: built once, shared by all. */
interface PolicyTexts {
  name: string;
  /** `binding NAME, actions Deny,Audit` (no binding part for an unbound policy). */
  via: string;
  description: string;
  remediation: string;
  references: Reference[];
  /** Violations by message: the thousands of objects a validation rejects share one. */
  known: Map<string, KnownViolation[]>;
}

// Distinct messages kept per policy and binding: a messageExpression can say something new for every
// object, and those are built each time rather than kept for the whole scan.
const KNOWN_MESSAGES = 1024;

/**
 * The violation of `bound` through `binding` that a failure with `message` and `reason` (at
 * spec.validations[validationIndex], when it came from one) makes. Without audit annotations
 * (`annotations`, already formatted) the same failure gives the same violation object: a violation
 * is read-only finding metadata, and one shared evidence string is pooled by the finding collector
 * without hashing a fresh copy of it for every object.
 */
export function policyViolation(
  bound: BoundPolicy,
  binding: PolicyBinding,
  reason: string,
  message: string,
  validationIndex?: number,
  annotations = '',
): PolicyViolation {
  const texts = textsOf(bound, binding);
  if (annotations !== '') return build(bound, texts, reason, message, validationIndex, annotations);
  let same = texts.known.get(message);
  if (same)
    for (const known of same)
      if (known.reason === reason && known.validationIndex === validationIndex) return known.violation;
  const violation = build(bound, texts, reason, message, validationIndex, '');
  if (!same && texts.known.size < KNOWN_MESSAGES) {
    same = [];
    texts.known.set(message, same);
  }
  same?.push({ reason, validationIndex, violation });
  return violation;
}

function build(
  bound: BoundPolicy,
  texts: PolicyTexts,
  reason: string,
  message: string,
  validationIndex: number | undefined,
  annotations: string,
): PolicyViolation {
  const where = validationIndex !== undefined ? ` (spec.validations[${validationIndex}])` : '';
  return {
    id: texts.name,
    ruleId: texts.name,
    title: message,
    severity: policySeverity(reason, bound.compiled.policy.metadata.annotations),
    evidence: `${message} [${texts.via}, reason ${reason}]${where}${annotations}`,
    description: texts.description,
    remediation: texts.remediation,
    references: texts.references,
  };
}

const textsByPolicy = new WeakMap<BoundPolicy, Map<PolicyBinding, PolicyTexts>>();

function textsOf(bound: BoundPolicy, binding: PolicyBinding): PolicyTexts {
  let byBinding = textsByPolicy.get(bound);
  if (!byBinding) {
    byBinding = new Map();
    textsByPolicy.set(bound, byBinding);
  }
  let texts = byBinding.get(binding);
  if (!texts) {
    const name = bound.compiled.policy.metadata.name;
    const via = binding.name ? `binding ${binding.name}, ` : '';
    texts = {
      name,
      via: `${via}actions ${binding.validationActions.join(',')}`,
      description: `ValidatingAdmissionPolicy ${name} would reject this object on creation.`,
      remediation: `Change the object so that the policy's validations hold, or suppress ${name} with a reason.`,
      references: [{ kind: 'other', id: `ValidatingAdmissionPolicy/${name}` }],
      known: new Map(),
    };
    byBinding.set(binding, texts);
  }
  return texts;
}
