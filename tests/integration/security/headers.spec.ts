import { afterAll, expect, it } from 'vitest';
import { startApp } from '../../support/app-server';

const app = await startApp();
afterAll(() => app.stop());

it('sends a Content-Security-Policy that forbids framing, plugins and foreign scripts', async () => {
	const res = await app.fetch('/login');
	const csp = res.headers.get('content-security-policy') ?? '';
	expect(csp).toContain("frame-ancestors 'none'");
	expect(csp).toContain("object-src 'none'");
	expect(csp).toMatch(/script-src 'self'( 'nonce-[^']+'| 'sha256-[^']+')+/);
	expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
	// SvelteKit's hydration script carries the nonce the policy names.
	const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
	if (nonce) expect(await res.text()).toContain(`nonce="${nonce}"`);
});

it('stops MIME sniffing and keeps full URLs out of Referer headers', async () => {
	const res = await app.fetch('/login');
	expect(res.headers.get('x-content-type-options')).toBe('nosniff');
	expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
	const invite = await app.fetch('/invite/abc.def');
	expect(invite.headers.get('referrer-policy')).toBe('no-referrer');
});

it('refuses a body over 1 MiB on any route but file uploads, before reading it', async () => {
	const big = 'x'.repeat(2 * 1024 * 1024);
	const res = await app.fetch('/login', {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.origin },
		body: `email=a%40b.vn&password=${big}`
	});
	expect(res.status).toBe(413);
	await res.body?.cancel();
});
