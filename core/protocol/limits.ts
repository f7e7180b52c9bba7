/** Largest WebSocket message either side accepts; a report travels as findings, not as one message. */
export const MAX_WS_MESSAGE_BYTES = 1024 * 1024;
/** Most policy objects (ValidatingAdmissionPolicies, bindings, params) one scan.start may carry. */
export const MAX_SCAN_POLICIES = 500;
/** NATS' default max_payload is 1 MiB; jobs and events stay well under it. */
export const MAX_BUS_MESSAGE_BYTES = 512 * 1024;
export const PROTOCOL_VERSION = 1;
/** Findings per `findings` message: a finding with its evidence stays well under 4 KiB. */
export const MAX_FINDINGS_PER_BATCH = 200;
/** Problems one job may report (an image inventoried but not matched, …), and the length of each. */
export const MAX_JOB_PROBLEMS = 16;
export const MAX_PROBLEM_CHARS = 2048;
