import { z } from 'zod';
import { email, password, text } from '$lib/forms/validate';
import { locales } from '../db/schema';

// The account forms. Custom messages are message keys (forms/validate.ts translates them), and
// an empty field says "required" before any other complaint.
export const NAME_MAX = 100;

const requiredEmail = () => z.string().trim().min(1, 'common.required').pipe(email());
const newPassword = () => z.string().min(1, 'common.required').pipe(password());
// Logging in accepts any stored password, whatever the rules were when it was chosen.
const anyPassword = () => z.string().min(1, 'common.required').max(256);

export const loginForm = z.object({ email: requiredEmail(), password: anyPassword() });

export const signupForm = z.object({
	name: text({ max: NAME_MAX }),
	email: requiredEmail(),
	password: newPassword()
});

export const forgotForm = z.object({ email: requiredEmail() });

export const resetForm = z.object({ token: z.string().min(1).max(200), password: newPassword() });

export const profileForm = z.object({ name: text({ max: NAME_MAX }) });

export const localeForm = z.object({ locale: z.enum(locales), next: z.string().optional() });

export const passwordForm = z.object({
	currentPassword: anyPassword(),
	newPassword: newPassword()
});
