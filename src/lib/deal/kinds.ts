// Kinds of contact with a customer (SPEC D2); shared by the document model and the tables.
export const activityKinds = ['call', 'meeting', 'zalo', 'email', 'visit', 'note'] as const;
export type ActivityKind = (typeof activityKinds)[number];

/** Minutes before a task's due time its reminder goes out (SPEC D5); 0 = at the due time. */
export const taskRemindChoices = [0, 15, 60, 1440] as const;
export type TaskRemindBefore = (typeof taskRemindChoices)[number];
