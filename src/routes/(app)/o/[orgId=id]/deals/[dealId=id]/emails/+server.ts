import type { DealEmailsResponse, SendEmailAnswer } from '$lib/customer-mail/types';
import { forbidden, invalid, answer, refused } from '$lib/server/customer-mail/respond';
import { parseBody, sendSchema } from '$lib/server/customer-mail/forms';
import {
	listForDeal,
	MailRefused,
	sendDealEmail,
	senderOf,
	toClient,
	variablesFor
} from '$lib/server/customer-mail/send';
import * as templates from '$lib/server/customer-mail/templates.repo';
import * as filesRepo from '$lib/server/files/files.repo';
import { dealContext, jsonBody } from '$lib/server/money/respond';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// A deal's email to its customer: GET lists the emails with their state (and, for members who
// may send, what the compose panel needs); POST sends one (JSON, with the browser's idempotency
// key). Deals the member may not see are 404; sending needs the right to edit the deal.

export const GET: RequestHandler = async (event) => {
	const ctx = await dealContext(event);
	const { db } = runtime();
	const rows = await listForDeal(db, { orgId: ctx.member.orgId, dealId: ctx.deal.id });
	const body: DealEmailsResponse = {
		emails: rows.map(toClient),
		canSend: ctx.deal.canEdit,
		compose: null
	};
	if (ctx.deal.canEdit) {
		const sender = await senderOf(db, { userId: ctx.member.userId });
		await templates.ensureDefaults(db, { orgId: ctx.org.id, locale: ctx.org.locale });
		const [{ values, customerEmail }, list, attached] = await Promise.all([
			variablesFor(db, { orgId: ctx.org.id, dealId: ctx.deal.id, sender }),
			templates.list(db, { orgId: ctx.org.id }),
			filesRepo.list(db, { orgId: ctx.org.id, dealId: ctx.deal.id })
		]);
		body.compose = {
			to: customerEmail,
			variables: values,
			templates: list.map(({ id, name, subject, body }) => ({ id, name, subject, body })),
			files: attached.map((f) => ({ id: f.id, name: f.name, size: f.size })),
			replyTo: sender.email
		};
	}
	return answer(body);
};

export const POST: RequestHandler = async (event) => {
	const ctx = await dealContext(event);
	if (!ctx.deal.canEdit) return forbidden(ctx.locale);
	const parsed = parseBody(sendSchema, await jsonBody(event.request));
	if (!parsed.ok) return invalid(ctx.locale, parsed.invalid);
	const rt = runtime();
	try {
		const { email, replayed } = await sendDealEmail(rt, {
			orgId: ctx.org.id,
			orgName: ctx.org.name,
			locale: ctx.org.locale,
			dealId: ctx.deal.id,
			sender: await senderOf(rt.db, { userId: ctx.member.userId }),
			input: parsed.value
		});
		const body: SendEmailAnswer = { email };
		return answer(body, replayed ? 200 : 201);
	} catch (err) {
		if (err instanceof MailRefused) return refused(ctx.locale, err);
		throw err;
	}
};
