// What a browser keeps of a user's boards between visits: each document in IndexedDB (database
// `chot:<userId>:<docName>`, written by y-indexeddb) and, per board, how many edits made here
// still wait for the server's acknowledgement (localStorage, so the count survives a reload
// while offline). Logging out deletes both (issue 3: logging out clears local data).

const PREFIX = 'chot:';
const pendingKey = (userId: string, pipelineId: string) =>
	`${PREFIX}pending:${userId}:${pipelineId}`;

export function readPending(userId: string, pipelineId: string): number {
	try {
		const n = Number(localStorage.getItem(pendingKey(userId, pipelineId)));
		return Number.isSafeInteger(n) && n > 0 ? n : 0;
	} catch {
		return 0;
	}
}

export function writePending(userId: string, pipelineId: string, n: number) {
	try {
		localStorage.setItem(pendingKey(userId, pipelineId), String(n));
	} catch {
		// Storage full or blocked: the count is a hint; the edits themselves are in IndexedDB.
	}
}

export function clearPending(userId: string, pipelineId: string) {
	try {
		localStorage.removeItem(pendingKey(userId, pipelineId));
	} catch {
		// See writePending.
	}
}

/**
 * Deletes every document and count this browser holds for Chốt (all users: after a logout the
 * next person at this computer must find nothing). Resolves when IndexedDB has deleted them.
 */
export async function clearLocalData() {
	try {
		for (const key of Object.keys(localStorage)) {
			if (key.startsWith(PREFIX)) localStorage.removeItem(key);
		}
	} catch {
		// Blocked storage holds nothing of ours.
	}
	if (typeof indexedDB === 'undefined' || !indexedDB.databases) return;
	const names = (await indexedDB.databases())
		.map((d) => d.name)
		.filter((n): n is string => typeof n === 'string' && n.startsWith(PREFIX));
	await Promise.all(
		names.map(
			(name) =>
				new Promise<void>((resolve) => {
					const req = indexedDB.deleteDatabase(name);
					// `blocked`: a tab still has it open; it is deleted once that tab lets go.
					req.onsuccess = req.onerror = req.onblocked = () => resolve();
				})
		)
	);
}
