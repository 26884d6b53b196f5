CREATE TABLE "commission_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"month" date NOT NULL,
	"user_id" uuid NOT NULL,
	"method" text NOT NULL,
	"deal_id" uuid,
	"payment_id" uuid,
	"rule_id" uuid,
	"basis" bigint NOT NULL,
	"rate_bp" integer NOT NULL,
	"amount" bigint NOT NULL,
	"adjusts_month" date,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commission_periods" (
	"org_id" uuid NOT NULL,
	"month" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"computed_at" timestamp with time zone,
	"locked_at" timestamp with time zone,
	"locked_by" uuid,
	CONSTRAINT "commission_periods_org_id_month_pk" PRIMARY KEY("org_id","month")
);
--> statement-breakpoint
CREATE TABLE "commission_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"method" text NOT NULL,
	"pipeline_id" uuid,
	"user_id" uuid,
	"tiering" text NOT NULL,
	"tiers" jsonb NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contracts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"deal_id" uuid NOT NULL,
	"customer_id" uuid,
	"number" text NOT NULL,
	"title" text NOT NULL,
	"value" bigint NOT NULL,
	"signed_on" date,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"file_id" uuid,
	"auto_renew" boolean DEFAULT false NOT NULL,
	"notice_days" integer DEFAULT 30 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"renews_id" uuid,
	"renewal_deal_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deal_balances" (
	"deal_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"paid" bigint DEFAULT 0 NOT NULL,
	"payments" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_instalments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"deal_id" uuid NOT NULL,
	"contract_id" uuid,
	"due_on" date NOT NULL,
	"amount" bigint NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "payment_voids" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"deal_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"voided_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"deal_id" uuid NOT NULL,
	"contract_id" uuid,
	"customer_id" uuid,
	"owner_id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"paid_on" date NOT NULL,
	"method" text NOT NULL,
	"reference" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"overpayment" boolean DEFAULT false NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deal_events" ADD COLUMN "amount" bigint;--> statement-breakpoint
ALTER TABLE "deal_events" ADD COLUMN "owner_id" uuid;--> statement-breakpoint
ALTER TABLE "commission_lines" ADD CONSTRAINT "commission_lines_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commission_periods" ADD CONSTRAINT "commission_periods_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commission_periods" ADD CONSTRAINT "commission_periods_locked_by_users_id_fk" FOREIGN KEY ("locked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commission_rules" ADD CONSTRAINT "commission_rules_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commission_rules" ADD CONSTRAINT "commission_rules_pipeline_id_pipelines_id_fk" FOREIGN KEY ("pipeline_id") REFERENCES "public"."pipelines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commission_rules" ADD CONSTRAINT "commission_rules_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commission_rules" ADD CONSTRAINT "commission_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deal_balances" ADD CONSTRAINT "deal_balances_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_instalments" ADD CONSTRAINT "payment_instalments_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_instalments" ADD CONSTRAINT "payment_instalments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_voids" ADD CONSTRAINT "payment_voids_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_voids" ADD CONSTRAINT "payment_voids_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_voids" ADD CONSTRAINT "payment_voids_voided_by_users_id_fk" FOREIGN KEY ("voided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "commission_lines_org_id_month_user_id_idx" ON "commission_lines" USING btree ("org_id","month","user_id");--> statement-breakpoint
CREATE INDEX "commission_rules_org_id_idx" ON "commission_rules" USING btree ("org_id","method");--> statement-breakpoint
CREATE UNIQUE INDEX "contracts_org_id_number_idx" ON "contracts" USING btree ("org_id","number");--> statement-breakpoint
CREATE INDEX "contracts_org_id_deal_id_idx" ON "contracts" USING btree ("org_id","deal_id");--> statement-breakpoint
CREATE INDEX "contracts_org_id_ends_on_idx" ON "contracts" USING btree ("org_id","ends_on");--> statement-breakpoint
CREATE UNIQUE INDEX "contracts_renews_id_idx" ON "contracts" USING btree ("renews_id") WHERE "contracts"."renews_id" is not null;--> statement-breakpoint
CREATE INDEX "payment_instalments_org_id_deal_id_idx" ON "payment_instalments" USING btree ("org_id","deal_id","due_on");--> statement-breakpoint
CREATE INDEX "payment_instalments_org_id_due_on_idx" ON "payment_instalments" USING btree ("org_id","due_on") WHERE "payment_instalments"."cancelled_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "payment_voids_payment_id_idx" ON "payment_voids" USING btree ("payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_voids_org_id_idempotency_key_idx" ON "payment_voids" USING btree ("org_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "payment_voids_org_id_created_at_idx" ON "payment_voids" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_org_id_idempotency_key_idx" ON "payments" USING btree ("org_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "payments_org_id_deal_id_idx" ON "payments" USING btree ("org_id","deal_id","paid_on");--> statement-breakpoint
CREATE INDEX "payments_org_id_paid_on_idx" ON "payments" USING btree ("org_id","paid_on");--> statement-breakpoint
CREATE INDEX "payments_org_id_customer_id_idx" ON "payments" USING btree ("org_id","customer_id") WHERE "payments"."customer_id" is not null;--> statement-breakpoint
CREATE INDEX "payments_contract_id_idx" ON "payments" USING btree ("contract_id") WHERE "payments"."contract_id" is not null;--> statement-breakpoint
CREATE INDEX "deal_events_org_id_kind_created_at_idx" ON "deal_events" USING btree ("org_id","kind","created_at");--> statement-breakpoint
-- History written before amounts were recorded on every event: created and amount entries carry
-- the amount as their new value. (Status entries stay null; commissions fall back to the last
-- amount entry before them.)
UPDATE "deal_events" SET "amount" = "to_value"::bigint WHERE "amount" IS NULL AND "kind" IN ('created', 'amount') AND "to_value" ~ '^[0-9]+$';
