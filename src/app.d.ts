import type { Session, SessionUser } from '$lib/server/auth/session';
import type { Locale } from '$lib/i18n';

declare global {
	namespace App {
		interface Locals {
			requestId: string;
			user: SessionUser | null;
			session: Session | null;
			locale: Locale;
		}
		interface Error {
			message: string;
			requestId?: string;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
