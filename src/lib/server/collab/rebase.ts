import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Origin } from '$lib/board/origin';
import { collabDocuments, collabGenerations } from '../db/schema';
import type { Runtime } from '../runtime';
import { documentAccess } from './access';
import { applyChanges, generationOf, refersToUnknown } from './generations';
import { assertDecodable, mergeIntoArchive } from './log';

export class RebaseRefused extends Error {
	constructor(readonly code: 'invalid' | 'forbidden' | 'retry') {
		super(`rebase refused: ${code}`);
		this.name = 'RebaseRefused';
	}
}

/**
 * Carries a replica's edits into the document's current generation (architecture.md › Growth),
 * for a client the collab server closed with STALE_GENERATION. `state` is the replica's whole
 * state. When it belongs to an older generation, it is merged into that generation's archive and
 * what the merge changed is written into the live document as the user's change; when it belongs
 * to the current one (a client closed for an update that only looked foreign), it is applied as
 * a sync would. Either way the change is in the update log when this resolves, so the client may
 * then drop its copy. A read-only user's copy carries nothing.
 */
export async function rebaseReplica(
	rt: Pick<Runtime, 'db' | 'changeDoc'>,
	{ docName, state, userId }: { docName: string; state: Uint8Array; userId: string }
) {
	const access = await documentAccess(rt.db, { userId, documentName: docName });
	if (!access) throw new RebaseRefused('forbidden');
	let decoded: ReturnType<typeof Y.decodeUpdate>;
	let stateVector: Map<number, number>;
	try {
		decoded = assertDecodable(state);
		stateVector = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state));
	} catch {
		throw new RebaseRefused('invalid');
	}
	if (access.readOnly || decoded.structs.length === 0) return { written: 0 };

	const [current] = await rt.db
		.select({ generation: collabDocuments.generation, founder: collabDocuments.founder })
		.from(collabDocuments)
		.where(eq(collabDocuments.name, docName));
	const archived = await rt.db
		.select({ generation: collabGenerations.generation, founder: collabGenerations.founder })
		.from(collabGenerations)
		.where(eq(collabGenerations.docName, docName));
	const now = { generation: current?.generation ?? 0, founder: current?.founder ?? null };
	const generation = generationOf(stateVector, [...archived, now]);
	const origin: Origin = { kind: 'user', userId };

	if (generation === now.generation) {
		const written = await rt.changeDoc(docName, (doc) => {
			// Rewritten since it was read: try again against the new generation.
			if (refersToUnknown(decoded, (c) => doc.store.clients.has(c))) {
				throw new RebaseRefused('retry');
			}
			doc.transact(() => Y.applyUpdate(doc, state), origin);
			return decoded.structs.length;
		});
		return { written };
	}
	// Loaded first, outside the transaction: loading rebases log rows left by an instance that
	// held an older generation (log.ts › loadInto), which locks the archive row this transaction
	// is about to lock, so a load from inside it would wait for itself.
	await rt.changeDoc(docName, () => 0);
	// The archive row stays locked until the change is in the log: rebases of one generation
	// run one after another, and one that fails leaves the archive as it was.
	return rt.db.transaction(async (tx) => {
		const { changes } = await mergeIntoArchive(tx, { docName, generation, incoming: state });
		const written =
			changes.length === 0
				? 0
				: await rt.changeDoc(docName, (doc) => {
						let n = 0;
						doc.transact(() => (n = applyChanges(doc, changes)), origin);
						return n;
					});
		return { written };
	});
}
