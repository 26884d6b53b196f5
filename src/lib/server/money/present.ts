import type { DealMoney, PaymentView } from '$lib/money/types';

/** The payment just recorded, as the money section lists it. */
export function toView(money: DealMoney, paymentId: string): PaymentView | undefined {
	return money.payments.find((p) => p.id === paymentId);
}
