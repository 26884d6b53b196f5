CREATE TABLE "collab_updates" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"doc_name" text NOT NULL,
	"update" "bytea" NOT NULL,
	"user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "collab_documents" ADD COLUMN "through_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "collab_updates_doc_name_seq_idx" ON "collab_updates" USING btree ("doc_name","seq");