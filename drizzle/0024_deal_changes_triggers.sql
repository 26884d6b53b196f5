-- Followers of a deal are told of its changes (issue 6; docs/architecture.md "Notifications").
-- Each change is already recorded in its own table by whoever made it (the projection, for edits
-- made live or offline; the payment and file endpoints); these triggers copy it into
-- deal_changes in the same transaction, so the fan-out job cannot miss one and needs no hook in
-- every writer.
CREATE OR REPLACE FUNCTION public.chot_deal_change() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	IF TG_TABLE_NAME = 'deal_events' THEN
		IF NEW.kind = 'created' THEN RETURN NULL; END IF;
		INSERT INTO public.deal_changes (org_id, deal_id, kind, actor_id, detail)
		VALUES (NEW.org_id, NEW.deal_id, NEW.kind, NEW.actor_id,
			jsonb_build_object('from', NEW.from_value, 'to', NEW.to_value, 'note', NEW.note));
	ELSIF TG_TABLE_NAME = 'deal_owner_changes' THEN
		INSERT INTO public.deal_changes (org_id, deal_id, kind, actor_id, detail)
		VALUES (NEW.org_id, NEW.deal_id, 'owner', NEW.changed_by,
			jsonb_build_object('from', NEW.from_owner_id, 'to', NEW.to_owner_id));
	ELSIF TG_TABLE_NAME = 'payments' THEN
		INSERT INTO public.deal_changes (org_id, deal_id, kind, actor_id, detail)
		VALUES (NEW.org_id, NEW.deal_id, 'payment', NEW.recorded_by,
			jsonb_build_object('amount', NEW.amount, 'paidOn', NEW.paid_on));
	ELSIF TG_TABLE_NAME = 'files' THEN
		IF NEW.status <> 'ready' OR OLD.status = 'ready' OR NEW.deleted_at IS NOT NULL THEN
			RETURN NULL;
		END IF;
		INSERT INTO public.deal_changes (org_id, deal_id, kind, actor_id, detail)
		VALUES (NEW.org_id, NEW.deal_id, 'file', NEW.uploaded_by, jsonb_build_object('name', NEW.name));
	ELSIF TG_TABLE_NAME = 'deal_activities' THEN
		INSERT INTO public.deal_changes (org_id, deal_id, kind, actor_id, detail)
		VALUES (NEW.org_id, NEW.deal_id, 'contact', NEW.created_by,
			jsonb_build_object('kind', NEW.kind, 'summary', left(NEW.summary, 200)));
	END IF;
	PERFORM pg_notify('chot_deal_change', '');
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER deal_events_change AFTER INSERT ON public.deal_events
	FOR EACH ROW EXECUTE FUNCTION public.chot_deal_change();
--> statement-breakpoint
CREATE TRIGGER deal_owner_changes_change AFTER INSERT ON public.deal_owner_changes
	FOR EACH ROW EXECUTE FUNCTION public.chot_deal_change();
--> statement-breakpoint
CREATE TRIGGER payments_change AFTER INSERT ON public.payments
	FOR EACH ROW EXECUTE FUNCTION public.chot_deal_change();
--> statement-breakpoint
CREATE TRIGGER files_change AFTER UPDATE OF status ON public.files
	FOR EACH ROW EXECUTE FUNCTION public.chot_deal_change();
--> statement-breakpoint
-- Inserted rows only: the projection rewrites existing entries with ON CONFLICT DO UPDATE, which
-- fires UPDATE triggers, not this one, so an edited entry is not news twice.
CREATE TRIGGER deal_activities_change AFTER INSERT ON public.deal_activities
	FOR EACH ROW EXECUTE FUNCTION public.chot_deal_change();
--> statement-breakpoint
-- Live bells: every instance LISTENs and pushes the user's unread count to their open pages.
CREATE OR REPLACE FUNCTION public.chot_notification_changed() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('chot_notification', NEW.user_id::text);
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER notifications_changed AFTER INSERT OR UPDATE ON public.notifications
	FOR EACH ROW EXECUTE FUNCTION public.chot_notification_changed();
