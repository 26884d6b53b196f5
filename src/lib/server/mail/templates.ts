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
	const url = safeUrl(p.url);
	switch (template) {
		case 'verifyEmail':
			return layout({
				locale,
				subject: t('mail.verify.subject'),
				lines: [t('mail.greeting'), t('mail.verify.body')],
				action: { label: t('mail.verify.action'), url },
				footer: t('mail.verify.footer')
			});
		case 'resetPassword':
			return layout({
				locale,
				subject: t('mail.reset.subject'),
				lines: [t('mail.greeting'), t('mail.reset.body')],
				action: { label: t('mail.reset.action'), url },
				footer: t('mail.reset.footer')
			});
		case 'invitation':
			return layout({
				locale,
				subject: t('mail.invite.subject'),
				lines: [t('mail.invite.body')],
				action: { label: t('mail.invite.action'), url },
				footer: t('mail.invite.footer')
			});
		case 'dealAssigned':
			return layout({
				locale,
				subject: t('mail.assigned.subject'),
				lines: [t('mail.greeting'), t('mail.assigned.body')],
				action: { label: t('mail.assigned.action'), url },
				footer: t('mail.assigned.footer')
			});
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

export function escapeHtml(s: string) {
	return s
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}
