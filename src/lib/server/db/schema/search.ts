import { pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './orgs';

// Every word (folded: no accents, lower case) that appears in an organisation's customer names,
// deal titles and deals' customer names: the dictionary a mistyped query word is corrected
// against (`vna` → `van`), so a typo costs a lookup in a few thousand words instead of a fuzzy
// scan over a million rows. Derived, never edited: triggers on `customers` and `deals`
// (migration 0013_search_triggers) add the words of every row written; words are
// never removed (a stale word only offers a correction that finds nothing).
export const searchWords = pgTable(
	'search_words',
	{
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		word: text().notNull()
	},
	(t) => [primaryKey({ columns: [t.orgId, t.word] })]
);
