-- A move changes a deal's stage_id and position. With an index on stage_id every projected move
-- was a non-HOT update: a new entry in each of the table's indexes, the trigram search indexes
-- included. No query filters deals by stage_id (they join stages), so the index goes, and the
-- table keeps 10 % of each page free, where PostgreSQL puts the new version of a moved row (HOT).
DROP INDEX "deals_org_id_stage_id_idx";--> statement-breakpoint
ALTER TABLE "deals" SET (fillfactor = 90);
