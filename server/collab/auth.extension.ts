import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { documentAccess } from '$lib/server/collab/access';
import type { Db } from '$lib/server/db';

export type CollabContext = { userId: string };

// The socket's user was authenticated at the HTTP upgrade (server/collab/upgrade.ts); here each
// document name is checked against that user's memberships (access.ts).
export function authExtension({ db }: { db: Db }): Extension {
	return {
		extensionName: 'auth',
		async onAuthenticate({ documentName, context, connectionConfig }: onAuthenticatePayload) {
			const { userId } = context as CollabContext;
			if (!userId) throw new Error('forbidden');
			const access = await documentAccess(db, { userId, documentName });
			if (!access) throw new Error('forbidden');
			connectionConfig.readOnly = access.readOnly;
			const { orgId, role, pipelineId } = access;
			return pipelineId ? { orgId, role, pipelineId } : { orgId, role };
		}
	};
}
