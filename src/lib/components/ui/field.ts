// Accessibility attributes and border styles of a control inside <Field>: screen readers hear
// the error (or the hint) with the control, and the border turns red on error.
export function fieldAria({
	id,
	error,
	hint
}: {
	id: string | null | undefined;
	error?: string | null;
	hint?: string;
}) {
	return {
		'aria-invalid': error ? ('true' as const) : undefined,
		'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined
	};
}

export function controlTone(error?: string | null) {
	return error
		? 'border-red-500 focus:ring-red-200'
		: 'focus:border-brand-600 focus:ring-brand-100 border-slate-300';
}
