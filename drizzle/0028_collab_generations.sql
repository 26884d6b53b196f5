CREATE TABLE "collab_generations" (
	"doc_name" text NOT NULL,
	"generation" integer NOT NULL,
	"founder" bigint,
	"state" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collab_generations_doc_name_generation_pk" PRIMARY KEY("doc_name","generation")
);
--> statement-breakpoint
ALTER TABLE "collab_documents" ADD COLUMN "generation" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "collab_documents" ADD COLUMN "founder" bigint;--> statement-breakpoint
ALTER TABLE "collab_updates" ADD COLUMN "generation" integer DEFAULT 0 NOT NULL;