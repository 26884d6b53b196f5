DROP INDEX "deals_org_id_status_standby_until_idx";--> statement-breakpoint
CREATE INDEX "deals_org_id_amount_id_idx" ON "deals" USING btree ("org_id","amount","id");--> statement-breakpoint
CREATE INDEX "deals_org_id_status_standby_idx" ON "deals" USING btree ("org_id","status",coalesce("standby_until", 'infinity'::date),"id");