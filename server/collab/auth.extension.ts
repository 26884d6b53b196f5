import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { and, eq } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { memberships } from '$lib/server/db/schema';

export type CollabContext = { userId: string };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ORG_DOC = new RegExp(`^org:(${UUID})$`);

// The socket's user was authenticated at the HTTP upgrade (server/collab/upgrade.ts); here each
// document name is checked against that user's memberships. Unknown names and foreign
// organisations are refused alike, so a refusal says nothing about what exists.
export function authExtension({ db }: { db: Db }): Extension {
	return {
		extensionName: 'auth',
		async onAuthenticate({ documentName, context, connectionConfig }: onAuthenticatePayload) {
			const { userId } = context as CollabContext;
			const orgId = ORG_DOC.exec(documentName)?.[1];
			if (!userId || !orgId) throw new Error('forbidden');
			const [member] = await db
				.select({ role: memberships.role })
				.from(memberships)
				.where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
			if (!member) throw new Error('forbidden');
			// The organisation document is read-only for accountants.
			connectionConfig.readOnly = member.role === 'accountant';
			return { orgId, role: member.role };
		}
	};
}
