import type PgBoss from 'pg-boss';
import { renameOnCards } from '$lib/server/customers/customers.repo';
import { queues, type CustomerCardsJobData } from '$lib/server/jobs';
import type { Runtime } from '$lib/server/runtime';

export const name = queues.customerCards;

// A customer saved while their cards could not be written (the collab writer failing): the
// cards are brought to the saved name here, retried until they are. Safe to run twice: a card
// already showing the name is left alone (followCustomer writes only what differs).
export const queueOptions = {
	policy: 'standard',
	retryLimit: 10,
	retryDelay: 10,
	retryBackoff: true,
	expireInSeconds: 120
} satisfies Omit<PgBoss.Queue, 'name'>;
export const needsCollab = true;

export async function handler({
	rt,
	data
}: {
	rt: Runtime;
	data: CustomerCardsJobData;
	id: string;
}) {
	await renameOnCards(rt, {
		orgId: data.orgId,
		customerId: data.customerId,
		by: { userId: data.userId }
	});
}
