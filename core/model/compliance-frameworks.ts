// The framework names without their zod schema: the scan command's flags (defined at every start,
// `--help` included) need the names, not zod. compliance.ts adds the schema.
export const COMPLIANCE_FRAMEWORKS = ['pss-baseline', 'pss-restricted', 'nsa', 'cis'] as const;
export type ComplianceFrameworkName = (typeof COMPLIANCE_FRAMEWORKS)[number];
