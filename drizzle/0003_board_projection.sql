CREATE TABLE "deals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"title" text NOT NULL,
	"stage_id" uuid,
	"position" text NOT NULL,
	"customer_id" uuid,
	"customer_name" text,
	"customer_phone" text,
	"amount" bigint NOT NULL,
	"starred" boolean NOT NULL,
	"status" text NOT NULL,
	"lost_reason" text,
	"standby_until" date,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"stage_entered_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "stages" (
	"pipeline_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" text NOT NULL,
	"color" text NOT NULL,
	"win_probability" integer NOT NULL,
	"rot_days" integer NOT NULL,
	"deleted_at" timestamp with time zone,
	"merged_into" uuid,
	"column_id" uuid NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "stages_pipeline_id_id_pk" PRIMARY KEY("pipeline_id","id")
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "source_deal_id" uuid;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_pipeline_id_pipelines_id_fk" FOREIGN KEY ("pipeline_id") REFERENCES "public"."pipelines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stages" ADD CONSTRAINT "stages_pipeline_id_pipelines_id_fk" FOREIGN KEY ("pipeline_id") REFERENCES "public"."pipelines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stages" ADD CONSTRAINT "stages_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deals_pipeline_id_owner_id_idx" ON "deals" USING btree ("pipeline_id","owner_id");--> statement-breakpoint
CREATE INDEX "deals_org_id_stage_id_idx" ON "deals" USING btree ("org_id","stage_id");--> statement-breakpoint
CREATE INDEX "customers_phones_idx" ON "customers" USING gin ("phones");--> statement-breakpoint
CREATE INDEX "customers_org_id_source_deal_id_idx" ON "customers" USING btree ("org_id","source_deal_id") WHERE "customers"."source_deal_id" is not null;