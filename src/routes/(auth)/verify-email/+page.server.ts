import * as accounts from '$lib/server/auth/accounts';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

// Verified on GET: the link proves the mailbox, so a mail scanner following it first does no harm
// (the page then says the address is already verified).
export const load: PageServerLoad = async ({ url, setHeaders }) => {
	setHeaders({ 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
	const token = url.searchParams.get('token') ?? '';
	const outcome = token ? await accounts.verifyEmail(runtime().db, { token }) : 'invalid';
	return { outcome };
};
