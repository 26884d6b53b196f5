import type { vi } from '../common';

export const en: Record<keyof typeof vi, string> = {
	'common.save': 'Save',
	'common.saved': 'Saved',
	'common.cancel': 'Cancel',
	'common.delete': 'Delete',
	'common.close': 'Close',
	'common.back': 'Back',
	'common.continue': 'Continue',
	'common.loading': 'Loading…',
	'common.required': 'Please fill in this field.',
	'common.tooLong': 'At most {max} characters.',
	'common.invalidEmail': 'This is not a valid email address.',
	'common.formErrors': 'Please correct the errors below.',
	'common.notFound': 'This page could not be found.',
	'common.forbidden': 'The request was refused.',
	'common.serverError': 'Something went wrong. Please try again.',
	'common.tooManyRequests': 'Too many attempts. Please try again in {seconds} seconds.',
	'common.errorCode': 'Error code: {code}',
	'common.goHome': 'Go to the home page',
	'common.language': 'Language',
	'common.lang.vi': 'Tiếng Việt',
	'common.lang.en': 'English',
	'form.tooShort': 'At least {min} characters.',
	'form.invalid': 'This value is not valid.',
	'form.controlChars': 'Contains invalid control characters.',
	'form.passwordShort': 'The password needs at least 8 characters.'
};
