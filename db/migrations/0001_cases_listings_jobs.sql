CREATE TYPE "public"."listing_kind" AS ENUM('auction', 'fixed_price_sale');--> statement-breakpoint
CREATE TYPE "public"."listing_outcome" AS ENUM('sold', 'failed');--> statement-breakpoint
CREATE TYPE "public"."listing_status" AS ENUM('draft', 'pending_approval', 'announced', 'live', 'suspended', 'ended', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."priority_right" AS ENUM('co_owner', 'lessee', 'shareholder', 'other');--> statement-breakpoint
CREATE TYPE "public"."tax_payer" AS ENUM('each_by_law', 'buyer_all', 'seller_all');--> statement-breakpoint
CREATE TYPE "public"."appraisal_basis" AS ENUM('appraisal_report', 'price_inquiry', 'agreement');--> statement-breakpoint
CREATE TYPE "public"."asset_type" AS ENUM('residential', 'commercial', 'land_use_right', 'vehicle', 'equity', 'machinery', 'other_movable');--> statement-breakpoint
CREATE TYPE "public"."case_status" AS ENUM('open', 'terminated_without_property', 'concluded');--> statement-breakpoint
CREATE TYPE "public"."file_kind" AS ENUM('photo', 'judgment', 'appraisal_report', 'other');--> statement-breakpoint
CREATE TYPE "public"."party_kind" AS ENUM('person', 'company');--> statement-breakpoint
CREATE TYPE "public"."party_role" AS ENUM('applicant', 'respondent');--> statement-breakpoint
CREATE TYPE "public"."job_status" AS ENUM('pending', 'running', 'done', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "listing_amendments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"text" text NOT NULL,
	"changes" jsonb NOT NULL,
	"actor_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "listing_transitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"from" "listing_status",
	"to" "listing_status" NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "listings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"kind" "listing_kind" DEFAULT 'auction' NOT NULL,
	"round" integer DEFAULT 1 NOT NULL,
	"previous_listing_id" uuid,
	"status" "listing_status" DEFAULT 'draft' NOT NULL,
	"outcome" "listing_outcome",
	"suspended_from" "listing_status",
	"title" text NOT NULL,
	"asset_type" "asset_type" NOT NULL,
	"province" text NOT NULL,
	"city" text NOT NULL,
	"appraisal_fen" bigint NOT NULL,
	"starting_price_fen" bigint NOT NULL,
	"deposit_fen" bigint NOT NULL,
	"increment_fen" bigint NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"announce_at" timestamp with time zone NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"current_end_at" timestamp with time zone NOT NULL,
	"balance_days" integer NOT NULL,
	"special_notices" text NOT NULL,
	"taxes" text NOT NULL,
	"tax_payer" "tax_payer" NOT NULL,
	"viewing" text NOT NULL,
	"contact" text NOT NULL,
	"supervision_line" text NOT NULL,
	"purchase_restricted" boolean DEFAULT false NOT NULL,
	"prepared_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"public_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "priority_purchasers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"name" text NOT NULL,
	"rank" integer NOT NULL,
	"right_kind" "priority_right" NOT NULL,
	"user_id" uuid
);
--> statement-breakpoint
CREATE TABLE "asset_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_id" uuid NOT NULL,
	"kind" "file_kind" NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"type" "asset_type" NOT NULL,
	"title" text NOT NULL,
	"province" text NOT NULL,
	"city" text NOT NULL,
	"district" text,
	"address" text NOT NULL,
	"description" text NOT NULL,
	"known_defects" text,
	"encumbrances" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"appraisal_fen" bigint NOT NULL,
	"appraisal_basis" "appraisal_basis" NOT NULL,
	"appraisal_date" date NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_parties" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"role" "party_role" NOT NULL,
	"kind" "party_kind" NOT NULL,
	"name" text NOT NULL,
	"id_number_masked" text,
	"claim_fen" bigint,
	"user_id" uuid
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"court_id" uuid NOT NULL,
	"case_number" text NOT NULL,
	"basis" text NOT NULL,
	"amount_owed_fen" bigint NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"status" "case_status" DEFAULT 'open' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"acts_as" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"status" "job_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 10 NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "listing_amendments" ADD CONSTRAINT "listing_amendments_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing_amendments" ADD CONSTRAINT "listing_amendments_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing_transitions" ADD CONSTRAINT "listing_transitions_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing_transitions" ADD CONSTRAINT "listing_transitions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_previous_listing_id_listings_id_fk" FOREIGN KEY ("previous_listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_prepared_by_users_id_fk" FOREIGN KEY ("prepared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "priority_purchasers" ADD CONSTRAINT "priority_purchasers_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "priority_purchasers" ADD CONSTRAINT "priority_purchasers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_files" ADD CONSTRAINT "asset_files_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_files" ADD CONSTRAINT "asset_files_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_parties" ADD CONSTRAINT "case_parties_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_parties" ADD CONSTRAINT "case_parties_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_acts_as_users_id_fk" FOREIGN KEY ("acts_as") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "listing_amendments_listing_idx" ON "listing_amendments" USING btree ("listing_id","published_at");--> statement-breakpoint
CREATE INDEX "listing_transitions_listing_idx" ON "listing_transitions" USING btree ("listing_id","at");--> statement-breakpoint
CREATE INDEX "listings_status_start_idx" ON "listings" USING btree ("status","starts_at");--> statement-breakpoint
CREATE INDEX "listings_court_idx" ON "listings" USING btree ("court_id","starts_at");--> statement-breakpoint
CREATE INDEX "listings_asset_idx" ON "listings" USING btree ("asset_id","round");--> statement-breakpoint
CREATE INDEX "listings_type_idx" ON "listings" USING btree ("asset_type","starts_at");--> statement-breakpoint
CREATE INDEX "listings_place_idx" ON "listings" USING btree ("province","city");--> statement-breakpoint
CREATE INDEX "listings_price_idx" ON "listings" USING btree ("starting_price_fen");--> statement-breakpoint
CREATE INDEX "priority_purchasers_listing_idx" ON "priority_purchasers" USING btree ("listing_id");--> statement-breakpoint
CREATE INDEX "asset_files_asset_idx" ON "asset_files" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "assets_case_idx" ON "assets" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "assets_court_idx" ON "assets" USING btree ("court_id");--> statement-breakpoint
CREATE INDEX "case_parties_case_idx" ON "case_parties" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_number_key" ON "cases" USING btree ("case_number");--> statement-breakpoint
CREATE INDEX "cases_court_idx" ON "cases" USING btree ("court_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_org_idx" ON "api_tokens" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_pending_key" ON "jobs" USING btree ("key") WHERE status in ('pending', 'running');--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("run_at") WHERE status = 'pending';