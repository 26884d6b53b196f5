-- Search (issue 4, item 7): one box over customers and deals, accent-insensitive, by any 4+
-- digits of a phone, tolerant of typos. Builds on 0007 (unaccent, pg_trgm, chot_fold).
-- Expression indexes rather than stored columns: the `deals` projection upserts named columns
-- and reads whole rows, and neither table needs rewriting. See src/lib/server/search/.
-- fuzzystrmatch (levenshtein) is trusted like the others: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch WITH SCHEMA public;
--> statement-breakpoint
-- The digits a person types for a phone: E.164 `+84912345678` is held as its national form
-- `0912345678`, which contains `912345678` too, so every way of writing it (and any 4+ digits of
-- it) is a substring. Other countries keep their country code's digits. Only immutable pieces,
-- so PostgreSQL inlines it alike in the index and in the queries.
CREATE OR REPLACE FUNCTION public.chot_phone_digits(phone text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	RETURN CASE
		WHEN phone LIKE '+84%' THEN '0' || regexp_replace(substr(phone, 4), '[^0-9]', '', 'g')
		ELSE regexp_replace(phone, '[^0-9]', '', 'g')
	END;
--> statement-breakpoint
-- A customer's phones, space-separated (a match never spans two numbers).
CREATE OR REPLACE FUNCTION public.chot_phones_digits(phones text[]) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	RETURN array_to_string(ARRAY(SELECT public.chot_phone_digits(p) FROM unnest(phones) AS p), ' ');
--> statement-breakpoint
-- What a deal is found by: its title, then its customer's name, folded.
CREATE OR REPLACE FUNCTION public.chot_deal_text(title text, customer_name text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN public.chot_fold(title || ' ' || coalesce(customer_name, ''));
--> statement-breakpoint
-- Words of a folded text, for the typo dictionary (search_words).
CREATE OR REPLACE FUNCTION public.chot_search_words(value text) RETURNS text[]
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	RETURN ARRAY(
		SELECT DISTINCT w FROM regexp_split_to_table(public.chot_fold(value), '[^a-z0-9]+') AS w
		WHERE length(w) BETWEEN 2 AND 40
	);
--> statement-breakpoint
-- Phone digits: trigram substring (`like '%345678%'`).
CREATE INDEX IF NOT EXISTS "customers_search_phones_idx" ON "customers"
	USING gin (public.chot_phones_digits("phones") gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_search_phone_idx" ON "deals"
	USING gin (public.chot_phone_digits("customer_phone") gin_trgm_ops)
	WHERE "customer_phone" IS NOT NULL;
--> statement-breakpoint
-- The folded text from its k-th word on (`Nguyễn Văn An`, 2 → `van an`), null past the last
-- word: a query that starts a name's 1st–4th word (or a title's 1st–3rd) is a btree range scan
-- in byte order that stops at the limit, however many rows match (`nguyen` is 4 names in 10).
CREATE OR REPLACE FUNCTION public.chot_words_from(value text, k int) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	RETURN nullif(array_to_string(
		(regexp_split_to_array(btrim(public.chot_fold(value)), '\s+'))[k:], ' '), '');
--> statement-breakpoint
-- Surname and given name without the middle names (`Nguyễn Văn An` → `nguyen an`), the way
-- people say a name; null for names of fewer than three words (their start covers it).
CREATE OR REPLACE FUNCTION public.chot_first_last(value text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	RETURN (SELECT CASE WHEN cardinality(w) >= 3 THEN w[1] || ' ' || w[cardinality(w)] END
		FROM regexp_split_to_array(btrim(public.chot_fold(value)), '\s+') AS w);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "customers_search_name1_idx" ON "customers"
	USING btree ("org_id", (public.chot_words_from("name", 1) COLLATE "C")) WHERE "deleted_at" IS NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "customers_search_name2_idx" ON "customers"
	USING btree ("org_id", (public.chot_words_from("name", 2) COLLATE "C"))
	WHERE "deleted_at" IS NULL AND public.chot_words_from("name", 2) IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "customers_search_name3_idx" ON "customers"
	USING btree ("org_id", (public.chot_words_from("name", 3) COLLATE "C"))
	WHERE "deleted_at" IS NULL AND public.chot_words_from("name", 3) IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "customers_search_name4_idx" ON "customers"
	USING btree ("org_id", (public.chot_words_from("name", 4) COLLATE "C"))
	WHERE "deleted_at" IS NULL AND public.chot_words_from("name", 4) IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "customers_search_first_last_idx" ON "customers"
	USING btree ("org_id", (public.chot_first_last("name") COLLATE "C"))
	WHERE "deleted_at" IS NULL AND public.chot_first_last("name") IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_search_title1_idx" ON "deals"
	USING btree ("org_id", (public.chot_words_from("title", 1) COLLATE "C"));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_search_title2_idx" ON "deals"
	USING btree ("org_id", (public.chot_words_from("title", 2) COLLATE "C"))
	WHERE public.chot_words_from("title", 2) IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_search_title3_idx" ON "deals"
	USING btree ("org_id", (public.chot_words_from("title", 3) COLLATE "C"))
	WHERE public.chot_words_from("title", 3) IS NOT NULL;
--> statement-breakpoint
-- A customer's deals (search finds deals through the customers it finds).
CREATE INDEX IF NOT EXISTS "deals_search_customer_idx" ON "deals"
	USING btree ("org_id", "customer_id") WHERE "customer_id" IS NOT NULL;
--> statement-breakpoint
-- Every query word as the start of some word, in any order (`an nguyen` finds `Nguyễn Văn An`):
-- full-text prefix queries over the folded words, when the starts above find too little. GIN answers them without a recheck, so
-- unaccent runs only on the rows returned.
CREATE INDEX IF NOT EXISTS "customers_search_words_idx" ON "customers"
	USING gin (to_tsvector('simple'::regconfig, public.chot_fold("name")));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_search_words_idx" ON "deals"
	USING gin (to_tsvector('simple'::regconfig, public.chot_deal_text("title", "customer_name")));
