import { error, json } from '@sveltejs/kit';
import { parseBoardDocName } from '$lib/board/doc';
import { translate } from '$lib/i18n';
import { requireMember } from '$lib/server/auth/guards';
import { rebaseReplica, RebaseRefused } from '$lib/server/collab/rebase';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// A browser whose offline copy of a board document belongs to an older generation (the collab
// server closed it with STALE_GENERATION) posts that copy here, as the raw Yjs state, before it
// deletes it: its edits are carried into the current generation (architecture.md › Growth).
export const POST: RequestHandler = async (event) => {
	const { user } = await requireMember(event);
	const locale = event.locals.locale;
	const docName = event.url.searchParams.get('doc') ?? '';
	const board = parseBoardDocName(docName);
	if (!board || board.pipelineId !== event.params.pipelineId) {
		return json({ message: translate(locale, 'board.rebase.invalid') }, { status: 400 });
	}
	const state = new Uint8Array(await event.request.arrayBuffer());
	try {
		const { written } = await rebaseReplica(runtime(), { docName, state, userId: user.id });
		return json({ written });
	} catch (err) {
		if (!(err instanceof RebaseRefused)) throw err;
		if (err.code === 'forbidden') error(404, { message: 'Not found' });
		const status = err.code === 'retry' ? 409 : 400;
		return json({ message: translate(locale, `board.rebase.${err.code}`) }, { status });
	}
};
