import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { organisations } from '$lib/server/db/schema';
import { requireMember } from '$lib/server/auth/guards';
import { boardAccess } from '$lib/server/pipelines/board';
import * as records from '$lib/server/orgs/records';
import { boardPreview } from '$lib/server/projection/preview';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user, org, role } = await requireMember(event);
	const access = await boardAccess(runtime().db, {
		orgId: org.id,
		pipelineId: event.params.pipelineId,
		userId: user.id,
		role
	});
	if (!access) error(404, { message: 'Not found' });
	const db = runtime().db;
	const [[settings], usage, preview] = await Promise.all([
		db
			.select({ lostReasons: organisations.lostReasons })
			.from(organisations)
			.where(eq(organisations.id, org.id)),
		records.usage(db, { orgId: org.id }),
		// The first screen in the HTML, shown until the documents are in (a big board's take
		// seconds): the projection's columns, figures and first cards.
		boardPreview(db, { pipelineId: access.pipeline.id, ownerIds: access.ownerIds })
	]);
	return {
		...access,
		recordsLimit: usage.full ? usage.limit : null,
		me: { id: user.id, name: user.name },
		lostReasons: settings?.lostReasons ?? [],
		preview
	};
};
