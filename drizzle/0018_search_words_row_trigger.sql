-- The deals projection upserts every changed card on every flush (twice a second per busy
-- board), and a statement-level UPDATE trigger with transition tables (0013) made PostgreSQL
-- collect every updated row and run the words query each time, though a move or an amount edit
-- changes no word: the fan-out bench lost about a third of its throughput. A row-level trigger
-- whose WHEN clause compares title and customer name costs nothing for those rows, and adds the
-- words of the few whose text changed.
DROP TRIGGER IF EXISTS deals_search_words_update ON deals;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.chot_search_words_from_deal_row() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.search_words (org_id, word)
	SELECT NEW.org_id, w
	FROM unnest(public.chot_search_words(NEW.title || ' ' || coalesce(NEW.customer_name, ''))) AS w
	ORDER BY 2
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER deals_search_words_update AFTER UPDATE OF title, customer_name ON deals
	FOR EACH ROW
	WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.customer_name IS DISTINCT FROM NEW.customer_name)
	EXECUTE FUNCTION public.chot_search_words_from_deal_row();
--> statement-breakpoint
DROP FUNCTION IF EXISTS public.chot_search_words_from_deals_update();
