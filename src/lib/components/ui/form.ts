// Compact control styles of the in-panel forms (payments, instalments, contracts): smaller than
// TextField because these forms sit inside the deal drawer and dialogs.
export const formInput =
	'w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm focus:border-brand-500 focus:ring-1 focus:ring-brand-500 focus:outline-none aria-invalid:border-rose-500';
export const formLabel = 'mb-1 block text-xs font-medium text-slate-600';
