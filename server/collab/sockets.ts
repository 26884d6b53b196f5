import type { WebSocket } from 'ws';

// Every live collab socket of this instance, by user, so that a membership change can close a
// user's sockets at once. Clients reconnect on their own and are authorised afresh.
export class SocketRegistry {
	#byUser = new Map<string, Set<WebSocket>>();

	add(userId: string, ws: WebSocket) {
		let set = this.#byUser.get(userId);
		if (!set) this.#byUser.set(userId, (set = new Set()));
		set.add(ws);
		ws.once('close', () => {
			set.delete(ws);
			if (set.size === 0) this.#byUser.delete(userId);
		});
	}

	closeUser(userId: string, { code = 4401, reason = 'access changed' } = {}) {
		const set = this.#byUser.get(userId);
		if (!set) return 0;
		for (const ws of set) ws.close(code, reason);
		return set.size;
	}

	get size() {
		let n = 0;
		for (const set of this.#byUser.values()) n += set.size;
		return n;
	}
}
