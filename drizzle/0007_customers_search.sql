-- Accent-insensitive search (design.md: `nguyen` finds `Nguyễn`, `đức` finds `Duc`). unaccent and
-- pg_trgm are trusted extensions: a database owner may create them. unaccent() itself is only
-- STABLE (its dictionary could change), so indexes go through an IMMUTABLE wrapper that names the
-- dictionary explicitly; the SQL-standard body binds it at creation, whatever the search_path.
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.chot_fold(value text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	RETURN lower(public.unaccent('public.unaccent'::regdictionary, value));
