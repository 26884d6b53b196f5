import { translate, type Locale, type MessageKey } from '$lib/i18n';

// Every message Chốt sends, as a function of typed parameters. Text and HTML come from the same
// translated strings; parameters are escaped in the HTML and kept as typed in the text.
export type Templates = {
	verifyEmail: { name: string; url: string };
	resetPassword: { name: string; url: string };
	invitation: { orgName: string; inviterName: string; role: string; url: string };
	dealAssigned: {
		name: string;
		byName: string;
		dealTitle: string;
		amount: string;
		pipelineName: string;
		url: string;
	};
	/** A notification (src/lib/notify/describe.ts), already in the recipient's language. */
	notification: { title: string; body: string; url: string };
	/** Email to a customer from a deal: written by a member, variables already filled. */
	customerEmail: { subject: string; body: string };
};
export type TemplateName = keyof Templates;

export type Rendered = { subject: string; text: string; html: string };

export function render<T extends TemplateName>(
	template: T,
	{ locale, params }: { locale: Locale; params: Templates[T] }
): Rendered {
	const p = params as Record<string, string>;
	const isolated = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, isolate(v)]));
	const t = (key: MessageKey) => translate(locale, key, isolated);
	// Only the templates with an action link have a URL to check.
	const url = () => safeUrl(p.url);
	switch (template) {
		case 'verifyEmail':
			return layout({
				locale,
				subject: t('mail.verify.subject'),
				lines: [t('mail.greeting'), t('mail.verify.body')],
				action: { label: t('mail.verify.action'), url: url() },
				footer: t('mail.verify.footer')
			});
		case 'resetPassword':
			return layout({
				locale,
				subject: t('mail.reset.subject'),
				lines: [t('mail.greeting'), t('mail.reset.body')],
				action: { label: t('mail.reset.action'), url: url() },
				footer: t('mail.reset.footer')
			});
		case 'invitation':
			return layout({
				locale,
				subject: t('mail.invite.subject'),
				lines: [t('mail.invite.body')],
				action: { label: t('mail.invite.action'), url: url() },
				footer: t('mail.invite.footer')
			});
		case 'dealAssigned':
			return layout({
				locale,
				subject: t('mail.assigned.subject'),
				lines: [t('mail.greeting'), t('mail.assigned.body')],
				action: { label: t('mail.assigned.action'), url: url() },
				footer: t('mail.assigned.footer')
			});
		case 'notification':
			return layout({
				locale,
				subject: p.title ?? '',
				lines: [p.title ?? '', ...(p.body ?? '').split('\n').filter(Boolean)],
				action: { label: t('notify.mail.open'), url: url() },
				footer: t('notify.mail.footer')
			});
		case 'customerEmail':
			// The member's own words, as typed: not isolated like a name inside our sentences.
			return plainLetter({ locale, subject: p.subject ?? '', body: p.body ?? '' });
	}
	throw new Error(`Unknown mail template ${String(template)}`);
}

// A name carrying bidi controls (U+202E, RIGHT-TO-LEFT OVERRIDE…) would reverse the rest of the
// sentence it is inserted into, spoofing the mail ("…moc.evil"). Wrapped in FIRST STRONG ISOLATE
// … POP DIRECTIONAL ISOLATE, its effect ends with the name; the name itself is kept as typed.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
function isolate(value: string) {
	return BIDI_CONTROLS.test(value) ? `\u2068${value}\u2069` : value;
}

// The action link is built by Chốt from its own origin; anything but http(s) is a bug upstream,
// and a `javascript:` link in a mail (or in the outbox page) must never be produced.
function safeUrl(value: string | undefined): string {
	let parsed: URL | undefined;
	try {
		parsed = new URL(value ?? '');
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:'))
		throw new Error('Mail action URL must be an absolute http(s) URL');
	return parsed.href;
}

function layout({
	locale,
	subject,
	lines,
	action,
	footer
}: {
	locale: Locale;
	subject: string;
	lines: string[];
	action: { label: string; url: string };
	footer: string;
}): Rendered {
	// A subject is one header line: names with line breaks (an organisation called "A\nB") must
	// not split it, and Resend rejects such subjects outright.
	const oneLine = subject.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
	const text = [...lines, '', `${action.label}: ${action.url}`, '', footer, '', '— Chốt'].join(
		'\n'
	);
	const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(oneLine)}</title></head>
<body style="margin:0;background:#f8fafc;font-family:Arial,Helvetica,sans-serif;color:#0f172a">
<div style="max-width:560px;margin:0 auto;padding:32px 24px">
<div style="font-size:20px;font-weight:700;color:#0f766e;margin-bottom:24px">Chốt</div>
${lines.map((l) => `<p style="font-size:15px;line-height:1.6;margin:0 0 12px">${escapeHtml(l)}</p>`).join('\n')}
<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#0f766e;color:#fff;text-decoration:none;padding:12px 20px;border-radius:8px;font-weight:600">${escapeHtml(action.label)}</a></p>
<p style="font-size:13px;color:#64748b;line-height:1.5">${escapeHtml(footer)}</p>
<p style="font-size:12px;color:#94a3b8;word-break:break-all">${escapeHtml(action.url)}</p>
</div></body></html>`;
	return { subject: oneLine, text, html };
}

const singleLine = (subject: string) => subject.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();

/**
 * A letter from a member to a customer: the plain text as written, and the same text as simple
 * HTML (escaped; a blank line starts a paragraph, a line break stays one; http(s) addresses
 * become links), with no Chốt branding: it is the member's mail.
 */
function plainLetter({
	locale,
	subject,
	body
}: {
	locale: Locale;
	subject: string;
	body: string;
}): Rendered {
	const text = body.replace(/\r\n?/g, '\n');
	const paragraphs = text
		.split(/\n{2,}/)
		.filter((para) => para.trim() !== '')
		.map(
			(para) =>
				`<p style="font-size:15px;line-height:1.6;margin:0 0 14px">${para
					.split('\n')
					.map(linkify)
					.join('<br>\n')}</p>`
		)
		.join('\n');
	const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(singleLine(subject))}</title></head>
<body style="margin:0;background:#ffffff;font-family:Arial,Helvetica,sans-serif;color:#0f172a">
<div style="max-width:640px;margin:0 auto;padding:24px 20px">
${paragraphs}
</div></body></html>`;
	return { subject: singleLine(subject), text, html };
}

// Only http(s) addresses become links; everything else, and the link text, is escaped.
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]}]/g;
function linkify(line: string): string {
	let out = '';
	let last = 0;
	for (const m of line.matchAll(URL_IN_TEXT)) {
		let href: string | null = null;
		try {
			const u = new URL(m[0]);
			if (u.protocol === 'http:' || u.protocol === 'https:') href = u.href;
		} catch {
			href = null;
		}
		if (!href) continue;
		out +=
			escapeHtml(line.slice(last, m.index)) +
			`<a href="${escapeHtml(href)}">${escapeHtml(m[0])}</a>`;
		last = m.index + m[0].length;
	}
	return out + escapeHtml(line.slice(last));
}

export function escapeHtml(s: string) {
	return s
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}
