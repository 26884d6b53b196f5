import * as Y from 'yjs';
import { dealsDocName, dealsMap, pipelineDocName, readSettings } from '$lib/board/doc';
import { readCard } from '$lib/board/read';
import { fold, rank, type ParsedQuery } from './fold';
import type { DealHit } from './types';

// Search without a network (issue 4, item 7: "works offline over the boards already loaded"):
// the board documents a browser has opened are in IndexedDB (`chot:<userId>:<docName>`, written
// by y-indexeddb, see board/client/local.ts), so the palette reads them and ranks their cards with
// the same fold and rank as the server. Only the shards the board page opened are read (the
// owners it was allowed, remembered per board), so offline results follow the same permissions as
// the board did. Customers live only in PostgreSQL: offline, deals (with their customer's name and
// phone) are what can be found.

type Remembered = Record<string, Record<string, string[]>>;
// `chot:` like every key of ours, so logging out clears it (clearLocalData).
const key = (userId: string) => `chot:search-boards:${userId}`;

function read(userId: string): Remembered {
	try {
		const value = JSON.parse(localStorage.getItem(key(userId)) ?? '{}') as unknown;
		return value && typeof value === 'object' ? (value as Remembered) : {};
	} catch {
		return {};
	}
}

/** Notes that this browser holds board `pipelineId` of `orgId`, with the shards of `ownerIds`. */
export function rememberBoard({
	userId,
	orgId,
	pipelineId,
	ownerIds
}: {
	userId: string;
	orgId: string;
	pipelineId: string;
	ownerIds: string[];
}) {
	const all = read(userId);
	const boards = (all[orgId] ??= {});
	if (JSON.stringify(boards[pipelineId]) === JSON.stringify(ownerIds)) return;
	boards[pipelineId] = ownerIds;
	try {
		localStorage.setItem(key(userId), JSON.stringify(all));
	} catch {
		// Storage full or blocked: offline search will not know this board; nothing else breaks.
	}
}

/** The boards of `orgId` this browser holds. */
export function rememberedBoards({ userId, orgId }: { userId: string; orgId: string }) {
	return read(userId)[orgId] ?? {};
}

/** Every update y-indexeddb stored for a document; nothing if it has none (never creates one). */
function storedUpdates(name: string): Promise<Uint8Array[]> {
	return new Promise((resolve) => {
		let req: IDBOpenDBRequest;
		try {
			req = indexedDB.open(name);
		} catch {
			resolve([]);
			return;
		}
		// The database did not exist: abort, so opening it does not create an empty one.
		req.onupgradeneeded = () => req.transaction?.abort();
		req.onerror = req.onblocked = () => resolve([]);
		req.onsuccess = () => {
			const db = req.result;
			if (!db.objectStoreNames.contains('updates')) {
				db.close();
				resolve([]);
				return;
			}
			const all = db.transaction('updates', 'readonly').objectStore('updates').getAll();
			all.onsuccess = () => {
				db.close();
				resolve(all.result as Uint8Array[]);
			};
			all.onerror = () => {
				db.close();
				resolve([]);
			};
		};
	});
}

async function loadDoc(userId: string, docName: string): Promise<Y.Doc | null> {
	const updates = await storedUpdates(`chot:${userId}:${docName}`);
	if (updates.length === 0) return null;
	const doc = new Y.Doc();
	for (const u of updates) {
		try {
			Y.applyUpdate(doc, u);
		} catch {
			// One unreadable update must not hide the rest of the board.
		}
	}
	return doc;
}

/** A card of a locally held board, ready to be ranked against queries. */
export type LocalDeal = DealHit & { text: string };

/** Reads the cards of every board of `orgId` held in this browser (once per palette opening). */
export async function loadLocalDeals({
	userId,
	orgId
}: {
	userId: string;
	orgId: string;
}): Promise<LocalDeal[]> {
	const out: LocalDeal[] = [];
	const boards = rememberedBoards({ userId, orgId });
	for (const [pipelineId, ownerIds] of Object.entries(boards)) {
		const pipelineDoc = await loadDoc(userId, pipelineDocName(pipelineId));
		const pipelineName = pipelineDoc ? readSettings(pipelineDoc).name : '';
		pipelineDoc?.destroy();
		for (const ownerId of ownerIds) {
			const dealDoc = await loadDoc(userId, dealsDocName(pipelineId, ownerId));
			if (!dealDoc) continue;
			for (const [id, card] of dealsMap(dealDoc)) {
				if (!(card instanceof Y.Map)) continue;
				const deal = readCard(id, card);
				// The old copy of a deal handed to another owner (SPEC B19) is no card.
				if (deal.movedTo !== undefined) continue;
				out.push({
					id,
					title: deal.title,
					customerName: deal.customerName ?? null,
					customerPhone: deal.customerPhone ?? null,
					amount: deal.amount,
					status: deal.status,
					pipelineId,
					pipelineName,
					text: fold(`${deal.title} ${deal.customerName ?? ''}`)
				});
			}
			dealDoc.destroy();
		}
	}
	return out;
}

/** The best `limit` local deals for a query, ranked as the server ranks. */
export function searchLocalDeals(
	deals: readonly LocalDeal[],
	query: ParsedQuery,
	limit: number
): DealHit[] {
	const ranked: { deal: LocalDeal; rank: number }[] = [];
	for (const deal of deals) {
		const r = rank(query, { text: deal.text, phone: deal.customerPhone });
		if (r !== null) ranked.push({ deal, rank: r });
	}
	ranked.sort((a, b) => a.rank - b.rank || a.deal.text.localeCompare(b.deal.text));
	// eslint-disable-next-line @typescript-eslint/no-unused-vars -- `text` stays in the browser
	return ranked.slice(0, limit).map(({ deal: { text, ...hit } }) => hit);
}
