CREATE TYPE "public"."sale_status" AS ENUM('eligibility_check', 'eligibility_failed', 'awaiting_ruling', 'ruling_issued', 'ruling_served', 'handover_scheduled', 'handed_over', 'handover_obstructed');--> statement-breakpoint
CREATE TABLE "sale_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sale_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"balance_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"registration_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"price_fen" bigint NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"purchase_restricted" boolean NOT NULL,
	"status" "sale_status" NOT NULL,
	"paid_at" timestamp with time zone NOT NULL,
	"ruling_due_at" timestamp with time zone NOT NULL,
	"ruling_overdue_at" timestamp with time zone,
	"eligibility_checked_at" timestamp with time zone,
	"eligibility_checked_by" uuid,
	"eligibility_failure_reason" text,
	"ruling_number" text,
	"ruling_issued_at" timestamp with time zone,
	"ruling_issued_by" uuid,
	"ruling_storage_key" text,
	"ruling_sha256" text,
	"ruling_size" integer,
	"served_on" date,
	"served_recorded_at" timestamp with time zone,
	"served_recorded_by" uuid,
	"handover_due_at" timestamp with time zone,
	"handover_overdue_at" timestamp with time zone,
	"handover_scheduled_for" timestamp with time zone,
	"handover_place" text,
	"handed_over_on" date,
	"handover_note" text,
	"obstruction_reason" text,
	"handover_obstructed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sales_ruling_whole" CHECK (num_nonnulls("sales"."ruling_number", "sales"."ruling_issued_at", "sales"."ruling_issued_by", "sales"."ruling_storage_key", "sales"."ruling_sha256", "sales"."ruling_size", "sales"."handover_due_at") in (0, 7)),
	CONSTRAINT "sales_ruling_by_status" CHECK (("sales"."ruling_number" is null) = ("sales"."status" in ('eligibility_check', 'eligibility_failed', 'awaiting_ruling'))),
	CONSTRAINT "sales_failed_has_reason" CHECK ("sales"."status" <> 'eligibility_failed' or "sales"."eligibility_failure_reason" is not null)
);
--> statement-breakpoint
ALTER TABLE "sale_events" ADD CONSTRAINT "sale_events_sale_id_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."sales"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sale_events" ADD CONSTRAINT "sale_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_balance_id_balances_id_fk" FOREIGN KEY ("balance_id") REFERENCES "public"."balances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_buyer_id_users_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_eligibility_checked_by_users_id_fk" FOREIGN KEY ("eligibility_checked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_ruling_issued_by_users_id_fk" FOREIGN KEY ("ruling_issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_served_recorded_by_users_id_fk" FOREIGN KEY ("served_recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sale_events_sale_idx" ON "sale_events" USING btree ("sale_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_listing_key" ON "sales" USING btree ("listing_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_balance_key" ON "sales" USING btree ("balance_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_ruling_number_key" ON "sales" USING btree ("ruling_number");--> statement-breakpoint
CREATE INDEX "sales_court_idx" ON "sales" USING btree ("court_id","status");--> statement-breakpoint
CREATE INDEX "sales_buyer_idx" ON "sales" USING btree ("buyer_id");