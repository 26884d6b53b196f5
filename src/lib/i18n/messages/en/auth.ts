import type { vi } from '../auth';

export const en: Record<keyof typeof vi, string> = {
	'auth.email': 'Email',
	'auth.password': 'Password',
	'auth.name': 'Full name',
	'auth.namePlaceholder': 'Jane Nguyen',
	'auth.emailPlaceholder': 'you@company.com',
	'auth.showPassword': 'Show password',
	'auth.hidePassword': 'Hide password',
	'auth.throttled.seconds': 'Too many attempts. Please try again in {n} seconds.',
	'auth.throttled.minutes': 'Too many attempts. Please try again in {n} minutes.',

	'auth.login.title': 'Log in',
	'auth.login.subtitle': 'Welcome back.',
	'auth.login.submit': 'Log in',
	'auth.login.invalid': 'The email or password is not correct.',
	'auth.login.forgot': 'Forgot your password?',
	'auth.login.noAccount': 'No account yet?',
	'auth.login.signupLink': 'Create an account',

	'auth.signup.title': 'Create an account',
	'auth.signup.subtitle': 'Try it free for 10 days, no card needed.',
	'auth.signup.submit': 'Create account',
	'auth.signup.passwordHint': 'At least 8 characters.',
	'auth.signup.emailTaken':
		'This email already has an account. Log in or reset your password instead.',
	'auth.signup.hasAccount': 'Already have an account?',
	'auth.signup.loginLink': 'Log in',

	'auth.forgot.title': 'Forgot your password',
	'auth.forgot.subtitle': 'Enter your email and we will send you a link to choose a new password.',
	'auth.forgot.submit': 'Send the link',
	'auth.forgot.sent':
		'If {email} has a Chốt account, we have sent a password reset link to it. The link works for 1 hour.',
	'auth.forgot.back': 'Back to log in',

	'auth.reset.title': 'Choose a new password',
	'auth.reset.subtitle': 'Once it is changed, every device that is logged in will be logged out.',
	'auth.reset.submit': 'Save the new password',
	'auth.reset.newPassword': 'New password',
	'auth.reset.invalid': 'This password reset link is not valid or has already been used.',
	'auth.reset.expired': 'This password reset link has expired.',
	'auth.reset.again': 'Send a new link',

	'auth.verify.title': 'Confirm your email',
	'auth.verify.verified': 'Your email is confirmed. Thank you!',
	'auth.verify.alreadyVerified': 'This email was already confirmed.',
	'auth.verify.invalid': 'This confirmation link is not valid or has already been used.',
	'auth.verify.expired':
		'This confirmation link has expired. Send a new one from your Account page.',
	'auth.verify.continue': 'Continue',
	'auth.verify.toAccount': 'Go to your Account page',

	'auth.account.title': 'Account',
	'auth.account.back': 'Back to the app',
	'auth.account.profile': 'Your details',
	'auth.account.profileHint': 'The name your colleagues see in your organisations.',
	'auth.account.profileSaved': 'Your details are saved.',
	'auth.account.verified': 'Confirmed',
	'auth.account.unverified': 'Not confirmed',
	'auth.account.unverifiedBody':
		'Your email is not confirmed yet. Follow the link in the email we sent you.',
	'auth.account.resend': 'Send the confirmation email again',
	'auth.account.resent': 'We sent the confirmation email to {email} again.',
	'auth.account.language': 'Language',
	'auth.account.languageHint': 'The language of the app and of the emails Chốt sends you.',
	'auth.account.languageSaved': 'Language changed.',
	'auth.account.password': 'Change password',
	'auth.account.passwordHint': 'Your other devices will be logged out.',
	'auth.account.currentPassword': 'Current password',
	'auth.account.newPassword': 'New password',
	'auth.account.wrongPassword': 'The current password is not correct.',
	'auth.account.passwordChanged': 'Password changed. Your other devices have been logged out.',
	'auth.account.passwordSubmit': 'Change password',
	'auth.account.sessions': 'Sessions',
	'auth.account.sessionsHint':
		'If you lost your phone or logged in on a computer that is not yours, log out everywhere.',
	'auth.account.logoutEverywhere': 'Log out everywhere',
	'auth.account.logout': 'Log out'
};
