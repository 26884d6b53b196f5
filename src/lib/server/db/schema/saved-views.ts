import { boolean, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { organisations } from './orgs';
import { users } from './users';

export const savedViewLists = ['deals'] as const;
export type SavedViewList = (typeof savedViewLists)[number];

// A list's filters saved under a name: the filter query string exactly as the list's URL holds
// it (validated by the list's own schema before it is stored), so opening a view is opening that
// URL. Personal views belong to their author; shared ones are seen by every member, and each
// member still sees only the records their role allows (a view is a filter, never a grant).
export const savedViews = pgTable(
	'saved_views',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** Which list the view filters; only deals today. */
		list: text().$type<SavedViewList>().notNull().default('deals'),
		name: text().notNull(),
		query: text().notNull(),
		shared: boolean().notNull().default(false),
		createdAt: createdAt(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('saved_views_org_id_list_idx').on(t.orgId, t.list)]
);
