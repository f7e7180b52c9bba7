import { SEVERITIES, type Severity } from '../model/index.js';

/** Annotation on a ValidatingAdmissionPolicy that sets the severity of its findings. */
export const SEVERITY_ANNOTATION = 'seco.dev/severity';

// A validation's reason is the HTTP status the API server would answer with (metav1.StatusReason):
// a refusal on security grounds weighs more than a malformed request.
const BY_REASON: Record<string, Severity> = {
  Unauthorized: 'high',
  Forbidden: 'high',
  Invalid: 'medium',
  RequestEntityTooLarge: 'low',
};

export function policySeverity(reason: string, annotations: Record<string, string> | undefined): Severity {
  const override = annotations?.[SEVERITY_ANNOTATION]?.toLowerCase();
  if (override && (SEVERITIES as readonly string[]).includes(override)) return override as Severity;
  return BY_REASON[reason] ?? 'medium';
}
