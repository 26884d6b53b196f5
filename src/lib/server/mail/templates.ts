import { translate, type Locale } from '$lib/i18n';

// Every message Chốt sends, as a function of typed parameters. Text and HTML come from the same
// translated strings; parameters are escaped in the HTML.
export type Templates = {
	verifyEmail: { name: string; url: string };
	resetPassword: { name: string; url: string };
	invitation: { orgName: string; inviterName: string; role: string; url: string };
};
export type TemplateName = keyof Templates;

export type Rendered = { subject: string; text: string; html: string };

export function render<T extends TemplateName>(
	template: T,
	{ locale, params }: { locale: Locale; params: Templates[T] }
): Rendered {
	const p = params as Record<string, string>;
	const t = (key: Parameters<typeof translate>[1], extra?: Record<string, string>) =>
		translate(locale, key, { ...p, ...extra });
	switch (template) {
		case 'verifyEmail':
			return layout({
				subject: t('mail.verify.subject'),
				lines: [t('mail.greeting'), t('mail.verify.body')],
				action: { label: t('mail.verify.action'), url: p.url! },
				footer: t('mail.verify.footer')
			});
		case 'resetPassword':
			return layout({
				subject: t('mail.reset.subject'),
				lines: [t('mail.greeting'), t('mail.reset.body')],
				action: { label: t('mail.reset.action'), url: p.url! },
				footer: t('mail.reset.footer')
			});
		case 'invitation':
			return layout({
				subject: t('mail.invite.subject'),
				lines: [t('mail.invite.body')],
				action: { label: t('mail.invite.action'), url: p.url! },
				footer: t('mail.invite.footer')
			});
	}
	throw new Error(`Unknown mail template ${String(template)}`);
}

function layout({
	subject,
	lines,
	action,
	footer
}: {
	subject: string;
	lines: string[];
	action: { label: string; url: string };
	footer: string;
}): Rendered {
	const text = [...lines, '', `${action.label}: ${action.url}`, '', footer, '', '— Chốt'].join(
		'\n'
	);
	const html = `<!doctype html><html><body style="margin:0;background:#f8fafc;font-family:Arial,Helvetica,sans-serif;color:#0f172a">
<div style="max-width:560px;margin:0 auto;padding:32px 24px">
<div style="font-size:20px;font-weight:700;color:#0f766e;margin-bottom:24px">Chốt</div>
${lines.map((l) => `<p style="font-size:15px;line-height:1.6;margin:0 0 12px">${escapeHtml(l)}</p>`).join('\n')}
<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#0f766e;color:#fff;text-decoration:none;padding:12px 20px;border-radius:8px;font-weight:600">${escapeHtml(action.label)}</a></p>
<p style="font-size:13px;color:#64748b;line-height:1.5">${escapeHtml(footer)}</p>
<p style="font-size:12px;color:#94a3b8;word-break:break-all">${escapeHtml(action.url)}</p>
</div></body></html>`;
	return { subject, text, html };
}

export function escapeHtml(s: string) {
	return s
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}
