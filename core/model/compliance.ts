import { z } from 'zod';
import { COMPLIANCE_FRAMEWORKS } from './compliance-frameworks.js';

export { COMPLIANCE_FRAMEWORKS } from './compliance-frameworks.js';
export const ComplianceFramework = z.enum(COMPLIANCE_FRAMEWORKS);
export type ComplianceFramework = z.infer<typeof ComplianceFramework>;

/** One control of a framework as the scan answers it, the way Kubescape lists controls. */
export const ControlResult = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['pass', 'fail', 'not-applicable']),
  /** Resources the control applies to, and how many of them fail it. */
  resources: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** `namespace/Kind/name` of each failing resource. */
  affected: z.array(z.string()),
  /** The seco checks the control is judged by. */
  checks: z.array(z.string()),
});
export type ControlResult = z.infer<typeof ControlResult>;

export const ComplianceView = z.object({
  framework: ComplianceFramework,
  title: z.string(),
  /** Percentage (0–100): the mean over applicable controls of the share of their resources that pass. */
  score: z.number().min(0).max(100),
  controls: z.array(ControlResult),
});
export type ComplianceView = z.infer<typeof ComplianceView>;
