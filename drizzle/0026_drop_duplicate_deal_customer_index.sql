-- 0009 made "deals_search_customer_idx" on (org_id, customer_id) where customer_id is not null;
-- 0017 made the same index again under the schema's name, "deals_org_id_customer_id_idx". Every
-- deal row written (each projected move) kept both up to date. The schema's stays.
DROP INDEX IF EXISTS "deals_search_customer_idx";
