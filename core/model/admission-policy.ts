import { z } from 'zod';

// admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding,
// the fields the API defines (k8s.io/api/admissionregistration/v1/types.go). Unknown fields are kept
// out; a field of the wrong type makes the policy a problem, never a crash.

const LabelSelector = z.object({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(z.object({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() }))
    .optional(),
});

export const NamedRuleWithOperations = z.object({
  resourceNames: z.array(z.string()).optional(),
  operations: z.array(z.string()).optional(),
  apiGroups: z.array(z.string()).optional(),
  apiVersions: z.array(z.string()).optional(),
  resources: z.array(z.string()).optional(),
  scope: z.enum(['*', 'Cluster', 'Namespaced']).optional(),
});
export type NamedRuleWithOperations = z.infer<typeof NamedRuleWithOperations>;

export const MatchResources = z.object({
  namespaceSelector: LabelSelector.optional(),
  objectSelector: LabelSelector.optional(),
  resourceRules: z.array(NamedRuleWithOperations).optional(),
  excludeResourceRules: z.array(NamedRuleWithOperations).optional(),
  matchPolicy: z.enum(['Exact', 'Equivalent']).optional(),
});
export type MatchResources = z.infer<typeof MatchResources>;

const NamedExpression = z.object({ name: z.string().min(1), expression: z.string() });

export const Validation = z.object({
  expression: z.string(),
  message: z.string().optional(),
  reason: z.string().optional(),
  messageExpression: z.string().optional(),
});

export const ValidatingAdmissionPolicy = z.object({
  apiVersion: z.string(),
  kind: z.literal('ValidatingAdmissionPolicy'),
  metadata: z.object({
    name: z.string().min(1),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.object({
    paramKind: z.object({ apiVersion: z.string(), kind: z.string() }).optional(),
    matchConstraints: MatchResources.optional(),
    validations: z.array(Validation).optional(),
    failurePolicy: z.enum(['Fail', 'Ignore']).optional(),
    auditAnnotations: z.array(z.object({ key: z.string(), valueExpression: z.string() })).optional(),
    matchConditions: z.array(NamedExpression).optional(),
    variables: z.array(NamedExpression).optional(),
  }),
});
export type ValidatingAdmissionPolicy = z.infer<typeof ValidatingAdmissionPolicy>;

export const ValidationAction = z.enum(['Deny', 'Warn', 'Audit']);
export type ValidationAction = z.infer<typeof ValidationAction>;

export const ValidatingAdmissionPolicyBinding = z.object({
  apiVersion: z.string(),
  kind: z.literal('ValidatingAdmissionPolicyBinding'),
  metadata: z.object({ name: z.string().min(1) }),
  spec: z.object({
    policyName: z.string().min(1),
    paramRef: z
      .object({
        name: z.string().optional(),
        namespace: z.string().optional(),
        selector: LabelSelector.optional(),
        parameterNotFoundAction: z.enum(['Allow', 'Deny']).optional(),
      })
      .optional(),
    matchResources: MatchResources.optional(),
    validationActions: z.array(ValidationAction).optional(),
  }),
});
export type ValidatingAdmissionPolicyBinding = z.infer<typeof ValidatingAdmissionPolicyBinding>;
