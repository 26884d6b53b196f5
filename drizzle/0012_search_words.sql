CREATE TABLE "search_words" (
	"org_id" uuid NOT NULL,
	"word" text NOT NULL,
	CONSTRAINT "search_words_org_id_word_pk" PRIMARY KEY("org_id","word")
);
--> statement-breakpoint
ALTER TABLE "search_words" ADD CONSTRAINT "search_words_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;