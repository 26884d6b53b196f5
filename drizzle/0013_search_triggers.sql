-- Keeps search_words (0012) filled: the words of every customer name, deal title and deal
-- customer name, per organisation. Statement-level triggers with transition tables, so the
-- projection's batched upserts and bulk imports cost one insert per statement, and no change to
-- the code that writes those tables. Words go in sorted, so two transactions adding the same new
-- words wait for each other instead of deadlocking.
CREATE OR REPLACE FUNCTION public.chot_search_words_from_customers() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.search_words (org_id, word)
	SELECT DISTINCT n.org_id, w
	FROM new_rows AS n, unnest(public.chot_search_words(n.name)) AS w
	ORDER BY 1, 2
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.chot_search_words_from_deals() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.search_words (org_id, word)
	SELECT DISTINCT n.org_id, w
	FROM new_rows AS n,
		unnest(public.chot_search_words(n.title || ' ' || coalesce(n.customer_name, ''))) AS w
	ORDER BY 1, 2
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
--> statement-breakpoint
-- On update, only rows whose words changed (a card moved between stages changes none).
CREATE OR REPLACE FUNCTION public.chot_search_words_from_deals_update() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.search_words (org_id, word)
	SELECT DISTINCT n.org_id, w
	FROM new_rows AS n
		JOIN old_rows AS o ON o.id = n.id
			AND (o.title IS DISTINCT FROM n.title OR o.customer_name IS DISTINCT FROM n.customer_name),
		unnest(public.chot_search_words(n.title || ' ' || coalesce(n.customer_name, ''))) AS w
	ORDER BY 1, 2
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.chot_search_words_from_customers_update() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.search_words (org_id, word)
	SELECT DISTINCT n.org_id, w
	FROM new_rows AS n
		JOIN old_rows AS o ON o.id = n.id AND o.name IS DISTINCT FROM n.name,
		unnest(public.chot_search_words(n.name)) AS w
	ORDER BY 1, 2
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER customers_search_words_insert AFTER INSERT ON customers
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION public.chot_search_words_from_customers();
--> statement-breakpoint
CREATE TRIGGER customers_search_words_update AFTER UPDATE ON customers
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION public.chot_search_words_from_customers_update();
--> statement-breakpoint
CREATE TRIGGER deals_search_words_insert AFTER INSERT ON deals
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION public.chot_search_words_from_deals();
--> statement-breakpoint
CREATE TRIGGER deals_search_words_update AFTER UPDATE ON deals
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION public.chot_search_words_from_deals_update();
--> statement-breakpoint
-- Words of the rows that exist already.
INSERT INTO public.search_words (org_id, word)
SELECT org_id, w FROM public.customers, unnest(public.chot_search_words(name)) AS w
UNION
SELECT org_id, w FROM public.deals,
	unnest(public.chot_search_words(title || ' ' || coalesce(customer_name, ''))) AS w
ON CONFLICT DO NOTHING;
