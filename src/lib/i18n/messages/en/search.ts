import type { vi } from '../search';

export const en: Record<keyof typeof vi, string> = {
	'search.open': 'Search',
	'search.shortcut': 'Ctrl K',
	'search.title': 'Find customers and deals',
	'search.placeholder': 'Name, phone number, deal title…',
	'search.label': 'Search',
	'search.close': 'Close',
	'search.hint': 'Type a customer name, a phone number (any 4 digits of it) or a deal title.',
	'search.searching': 'Searching…',
	'search.empty': 'Nothing found for “{q}”.',
	'search.corrected': 'Close matches for “{q}”',
	'search.offline': 'Offline — searching the boards opened here',
	'search.offlineNone': 'Offline — no board has been opened on this device yet.',
	'search.failed': 'Search is unavailable right now. Try again later.',
	'search.group.customers': 'Customers',
	'search.group.deals': 'Deals',
	'search.deal.noCustomer': 'No customer',
	'search.status.open': 'Open',
	'search.status.won': 'Won',
	'search.status.lost': 'Lost',
	'search.status.standby': 'Standby',
	'search.keys': '↑↓ to choose · Enter to open · Esc to close',
	'search.results': '{count} results',
	'search.error.empty': 'Type something to search for.',
	'search.error.tooLong': 'A search can be at most {max} characters long.'
};
