export const paymentMethods = ['cash', 'transfer', 'card', 'other'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];
