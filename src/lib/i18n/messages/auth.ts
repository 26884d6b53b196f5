export const vi = {
	'auth.placeholder': 'auth'
} as const;

export const en: Record<keyof typeof vi, string> = {
	'auth.placeholder': 'auth'
};
