// Kinds of contact with a customer (SPEC D2); shared by the document model and the tables.
export const activityKinds = ['call', 'meeting', 'zalo', 'email', 'visit', 'note'] as const;
export type ActivityKind = (typeof activityKinds)[number];
