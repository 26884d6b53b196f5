-- A locked month of commissions never changes (issue 5; src/lib/server/commissions/SPEC.md C9).
-- The application refuses it too, but a trigger also holds against a stray script or a direct
-- SQL edit. Deleting the organisation itself still cascades: by then its row is gone.
CREATE OR REPLACE FUNCTION public.chot_commission_lines_locked() RETURNS trigger
	LANGUAGE plpgsql AS $$
DECLARE
	m date;
BEGIN
	-- Statement-level over the transition tables: a month's computation writes tens of
	-- thousands of lines, and a row-level check would query the periods once per line.
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		SELECT n.month INTO m FROM new_rows n
		JOIN public.commission_periods p
			ON p.org_id = n.org_id AND p.month = n.month AND p.status = 'locked'
		LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'commission month % is locked', m USING ERRCODE = 'check_violation';
		END IF;
	END IF;
	IF TG_OP IN ('DELETE', 'UPDATE') THEN
		SELECT o.month INTO m FROM old_rows o
		JOIN public.commission_periods p
			ON p.org_id = o.org_id AND p.month = o.month AND p.status = 'locked'
		JOIN public.organisations org ON org.id = o.org_id
		LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION 'commission month % is locked', m USING ERRCODE = 'check_violation';
		END IF;
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER commission_lines_locked_insert AFTER INSERT ON commission_lines
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION public.chot_commission_lines_locked();
--> statement-breakpoint
CREATE TRIGGER commission_lines_locked_update AFTER UPDATE ON commission_lines
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION public.chot_commission_lines_locked();
--> statement-breakpoint
CREATE TRIGGER commission_lines_locked_delete AFTER DELETE ON commission_lines
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION public.chot_commission_lines_locked();
--> statement-breakpoint
-- Nor does a locked month open again.
CREATE OR REPLACE FUNCTION public.chot_commission_periods_locked() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.status = 'locked' AND (NEW.status <> 'locked' OR NEW.month <> OLD.month OR NEW.org_id <> OLD.org_id) THEN
		RAISE EXCEPTION 'commission month % is locked', OLD.month USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER commission_periods_locked BEFORE UPDATE ON commission_periods
	FOR EACH ROW EXECUTE FUNCTION public.chot_commission_periods_locked();
