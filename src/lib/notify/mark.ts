/**
 * Marks a notification read through the list page's form action, in the background: the click
 * that opens a notification navigates at once, and `keepalive` lets the request outlive the page.
 */
export async function markReadInBackground({
	orgId,
	id,
	action = 'read'
}: {
	orgId: string;
	id?: string;
	action?: 'read' | 'readAll';
}): Promise<boolean> {
	const body = new FormData();
	if (id) {
		body.set('id', id);
		body.set('read', '1');
	}
	try {
		const res = await fetch(`/o/${orgId}/notifications?/${action}`, {
			method: 'POST',
			body,
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true' },
			keepalive: true
		});
		return res.ok;
	} catch {
		return false;
	}
}
