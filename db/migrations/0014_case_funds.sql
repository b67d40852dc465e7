CREATE TYPE "public"."fund_claim_class" AS ENUM('construction', 'tax_before_mortgage', 'secured', 'tax_after_mortgage', 'labour', 'ordinary');--> statement-breakpoint
CREATE TYPE "public"."fund_claim_origin" AS ENUM('applicant', 'joined');--> statement-breakpoint
CREATE TYPE "public"."fund_cost_kind" AS ENUM('appraisal', 'auction', 'notice', 'storage', 'application_fee', 'other');--> statement-breakpoint
CREATE TYPE "public"."fund_deferral_reason" AS ENUM('distribution_pending', 'applicant_funds_frozen', 'applicant_not_collecting', 'case_suspended', 'other');--> statement-breakpoint
CREATE TYPE "public"."fund_objection_status" AS ENUM('filed', 'revised', 'opposed', 'lapsed', 'in_suit', 'decided');--> statement-breakpoint
CREATE TYPE "public"."fund_plan_status" AS ENUM('draft', 'served', 'final', 'approved', 'paid', 'superseded');--> statement-breakpoint
ALTER TYPE "public"."ledger_account_kind" ADD VALUE 'case_fund';--> statement-breakpoint
CREATE TABLE "fund_claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sequence" bigserial NOT NULL,
	"case_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"origin" "fund_claim_origin" NOT NULL,
	"class" "fund_claim_class" NOT NULL,
	"title_number" text NOT NULL,
	"principal_fen" bigint NOT NULL,
	"interest_fen" bigint DEFAULT 0 NOT NULL,
	"delay_from" date,
	"registered_on" date,
	"seizure_rank" integer,
	"payee_name" text NOT NULL,
	"bank_name" text NOT NULL,
	"account_number" text NOT NULL,
	"paid_fen" bigint DEFAULT 0 NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "fund_claims_amounts" CHECK ("fund_claims"."principal_fen" >= 0 and "fund_claims"."interest_fen" >= 0 and "fund_claims"."paid_fen" >= 0),
	CONSTRAINT "fund_claims_secured_registered" CHECK ("fund_claims"."class" <> 'secured' or "fund_claims"."registered_on" is not null)
);
--> statement-breakpoint
CREATE TABLE "fund_costs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" "fund_cost_kind" NOT NULL,
	"amount_fen" bigint NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "fund_costs_amount" CHECK ("fund_costs"."amount_fen" > 0),
	CONSTRAINT "fund_costs_no_fee" CHECK ("fund_costs"."kind" <> 'application_fee')
);
--> statement-breakpoint
CREATE TABLE "fund_court_rules" (
	"court_id" uuid PRIMARY KEY NOT NULL,
	"class_order" jsonb NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fund_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"plan_id" uuid,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"amount_fen" bigint,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fund_objections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"recipient_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"disputed_fen" bigint NOT NULL,
	"reason" text NOT NULL,
	"status" "fund_objection_status" NOT NULL,
	"filed_at" timestamp with time zone NOT NULL,
	"filed_by" uuid NOT NULL,
	"opposition_due_at" timestamp with time zone NOT NULL,
	"suit_due_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"awarded_fen" bigint,
	CONSTRAINT "fund_objections_disputed" CHECK ("fund_objections"."disputed_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "fund_plan_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"cost_id" uuid,
	"claim_id" uuid,
	"class" text NOT NULL,
	"rank" integer NOT NULL,
	"rule" text NOT NULL,
	"principal_fen" bigint DEFAULT 0 NOT NULL,
	"interest_fen" bigint DEFAULT 0 NOT NULL,
	"delay_interest_fen" bigint DEFAULT 0 NOT NULL,
	"demand_fen" bigint NOT NULL,
	"allocated_fen" bigint NOT NULL,
	"set_aside_fen" bigint DEFAULT 0 NOT NULL,
	"aid_recovered_fen" bigint DEFAULT 0 NOT NULL,
	"paid_fen" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "fund_plan_lines_money" CHECK ("fund_plan_lines"."allocated_fen" >= 0 and "fund_plan_lines"."allocated_fen" <= "fund_plan_lines"."demand_fen" and "fund_plan_lines"."set_aside_fen" >= 0 and "fund_plan_lines"."paid_fen" >= 0 and "fund_plan_lines"."aid_recovered_fen" >= 0 and "fund_plan_lines"."paid_fen" + "fund_plan_lines"."aid_recovered_fen" <= "fund_plan_lines"."allocated_fen")
);
--> statement-breakpoint
CREATE TABLE "fund_plan_recipients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"role" text NOT NULL,
	"name" text NOT NULL,
	"served_on" date,
	"objection_due_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "fund_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"number" text NOT NULL,
	"status" "fund_plan_status" NOT NULL,
	"pool_fen" bigint NOT NULL,
	"cutoff_on" date NOT NULL,
	"debtor_kind" text NOT NULL,
	"class_order" jsonb NOT NULL,
	"order_source" text NOT NULL,
	"ordinary_rule" text NOT NULL,
	"application_fee_fen" bigint NOT NULL,
	"surplus_fen" bigint NOT NULL,
	"drafted_by" uuid NOT NULL,
	"drafted_at" timestamp with time zone NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"document_key" text,
	"document_sha256" text,
	"final_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "fund_plans_maker_checker" CHECK ("fund_plans"."approved_by" is null or "fund_plans"."approved_by" <> "fund_plans"."drafted_by")
);
--> statement-breakpoint
CREATE TABLE "fund_releases" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"court_id" uuid NOT NULL,
	"arrived_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"overdue_at" timestamp with time zone,
	"deferral_reason" "fund_deferral_reason",
	"deferral_note" text,
	"deferral_requested_by" uuid,
	"deferral_approved_by" uuid,
	"deferral_approved_at" timestamp with time zone,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "fund_claims" ADD CONSTRAINT "fund_claims_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_claims" ADD CONSTRAINT "fund_claims_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_claims" ADD CONSTRAINT "fund_claims_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_costs" ADD CONSTRAINT "fund_costs_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_costs" ADD CONSTRAINT "fund_costs_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_court_rules" ADD CONSTRAINT "fund_court_rules_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_court_rules" ADD CONSTRAINT "fund_court_rules_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_events" ADD CONSTRAINT "fund_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_events" ADD CONSTRAINT "fund_events_plan_id_fund_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."fund_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_events" ADD CONSTRAINT "fund_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_objections" ADD CONSTRAINT "fund_objections_plan_id_fund_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."fund_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_objections" ADD CONSTRAINT "fund_objections_recipient_id_fund_plan_recipients_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."fund_plan_recipients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_objections" ADD CONSTRAINT "fund_objections_line_id_fund_plan_lines_id_fk" FOREIGN KEY ("line_id") REFERENCES "public"."fund_plan_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_objections" ADD CONSTRAINT "fund_objections_filed_by_users_id_fk" FOREIGN KEY ("filed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_plan_lines" ADD CONSTRAINT "fund_plan_lines_plan_id_fund_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."fund_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_plan_lines" ADD CONSTRAINT "fund_plan_lines_cost_id_fund_costs_id_fk" FOREIGN KEY ("cost_id") REFERENCES "public"."fund_costs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_plan_lines" ADD CONSTRAINT "fund_plan_lines_claim_id_fund_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."fund_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_plan_recipients" ADD CONSTRAINT "fund_plan_recipients_plan_id_fund_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."fund_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_plan_recipients" ADD CONSTRAINT "fund_plan_recipients_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_plans" ADD CONSTRAINT "fund_plans_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_plans" ADD CONSTRAINT "fund_plans_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_plans" ADD CONSTRAINT "fund_plans_drafted_by_users_id_fk" FOREIGN KEY ("drafted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_plans" ADD CONSTRAINT "fund_plans_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_releases" ADD CONSTRAINT "fund_releases_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_releases" ADD CONSTRAINT "fund_releases_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_releases" ADD CONSTRAINT "fund_releases_deferral_requested_by_users_id_fk" FOREIGN KEY ("deferral_requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_releases" ADD CONSTRAINT "fund_releases_deferral_approved_by_users_id_fk" FOREIGN KEY ("deferral_approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fund_claims_case_idx" ON "fund_claims" USING btree ("case_id","sequence");--> statement-breakpoint
CREATE INDEX "fund_costs_case_idx" ON "fund_costs" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "fund_events_case_idx" ON "fund_events" USING btree ("case_id","at");--> statement-breakpoint
CREATE INDEX "fund_objections_plan_idx" ON "fund_objections" USING btree ("plan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fund_plan_lines_position_key" ON "fund_plan_lines" USING btree ("plan_id","position");--> statement-breakpoint
CREATE INDEX "fund_plan_lines_claim_idx" ON "fund_plan_lines" USING btree ("claim_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fund_plan_recipients_key" ON "fund_plan_recipients" USING btree ("plan_id","party_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fund_plans_number_key" ON "fund_plans" USING btree ("number");--> statement-breakpoint
CREATE INDEX "fund_plans_case_idx" ON "fund_plans" USING btree ("case_id","drafted_at");--> statement-breakpoint
CREATE INDEX "fund_plans_court_idx" ON "fund_plans" USING btree ("court_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "fund_plans_live_key" ON "fund_plans" USING btree ("case_id") WHERE status not in ('paid', 'superseded');