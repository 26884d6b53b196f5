export const vi = {
	'orgs.placeholder': 'orgs'
} as const;

export const en: Record<keyof typeof vi, string> = {
	'orgs.placeholder': 'orgs'
};
