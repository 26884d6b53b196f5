import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` uses this file (it needs no database); migrations are applied by
// the app at start (src/lib/server/db/migrate.ts).
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema/index.ts',
	out: './drizzle',
	casing: 'snake_case'
});
