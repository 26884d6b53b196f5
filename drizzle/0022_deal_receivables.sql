CREATE TABLE "deal_receivables" (
	"deal_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"customer_id" uuid,
	"customer_name" text,
	"title" text NOT NULL,
	"won_on" date NOT NULL,
	"value" bigint NOT NULL,
	"paid" bigint NOT NULL,
	"total" bigint NOT NULL,
	"due_on" date[] NOT NULL,
	"unpaid" bigint[] NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deal_balances" ADD COLUMN "card_paid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "deal_receivables" ADD CONSTRAINT "deal_receivables_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deal_receivables_org_id_total_idx" ON "deal_receivables" USING btree ("org_id","total") WHERE "deal_receivables"."total" > 0;