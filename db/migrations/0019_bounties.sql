CREATE TYPE "public"."bounty_lead_kind" AS ENUM('property', 'whereabouts');--> statement-breakpoint
CREATE TYPE "public"."bounty_notice_status" AS ENUM('applied', 'published', 'rejected', 'closed');--> statement-breakpoint
CREATE TYPE "public"."bounty_reward_kind" AS ENUM('fixed', 'percent');--> statement-breakpoint
CREATE TYPE "public"."bounty_scope" AS ENUM('property', 'whereabouts', 'both');--> statement-breakpoint
CREATE TYPE "public"."bounty_tip_outcome" AS ENUM('not_useful', 'already_known', 'duplicate', 'ineligible');--> statement-breakpoint
CREATE TYPE "public"."bounty_tip_status" AS ENUM('received', 'valid', 'invalid', 'awarded');--> statement-breakpoint
ALTER TYPE "public"."fund_cost_kind" ADD VALUE 'bounty_reward';--> statement-breakpoint
CREATE TABLE "bounty_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"status" "bounty_notice_status" DEFAULT 'applied' NOT NULL,
	"applicant_name" text NOT NULL,
	"applied_on" date NOT NULL,
	"decision_due_on" date NOT NULL,
	"reward_kind" "bounty_reward_kind" NOT NULL,
	"reward_fen" bigint,
	"reward_basis_points" integer,
	"cap_fen" bigint,
	"scope" "bounty_scope" NOT NULL,
	"channels" text[] NOT NULL,
	"terms" text NOT NULL,
	"debtor_name" text NOT NULL,
	"debtor_id_published" text NOT NULL,
	"last_known_address" text NOT NULL,
	"unpaid_fen" bigint NOT NULL,
	"publish_from" date NOT NULL,
	"publish_until" date NOT NULL,
	"prepared_by" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"rejection_reason" text,
	"closed_at" timestamp with time zone,
	"closed_reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bounty_notices_formula" CHECK (("bounty_notices"."reward_kind" = 'fixed' and "bounty_notices"."reward_fen" > 0) or ("bounty_notices"."reward_kind" = 'percent' and "bounty_notices"."reward_basis_points" between 1 and 10000)),
	CONSTRAINT "bounty_notices_period" CHECK ("bounty_notices"."publish_until" >= "bounty_notices"."publish_from")
);
--> statement-breakpoint
CREATE TABLE "bounty_tip_access" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tip_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bounty_tips" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"notice_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"submission_key" uuid NOT NULL,
	"receipt_hash" text NOT NULL,
	"lead_kind" "bounty_lead_kind" NOT NULL,
	"lead_sealed" text NOT NULL,
	"lead_digest" text NOT NULL,
	"informant_sealed" text NOT NULL,
	"informant_user_id" uuid,
	"declared_eligible" boolean NOT NULL,
	"status" "bounty_tip_status" DEFAULT 'received' NOT NULL,
	"outcome" "bounty_tip_outcome",
	"duplicate_of_id" uuid,
	"assessment_note" text,
	"assessed_by" uuid,
	"assessed_at" timestamp with time zone,
	"recovered_fen" bigint,
	"reward_fen" bigint,
	"deducted_fen" bigint,
	"fund_cost_id" uuid,
	"awarded_by" uuid,
	"awarded_at" timestamp with time zone,
	CONSTRAINT "bounty_tips_seq_unique" UNIQUE("seq"),
	CONSTRAINT "bounty_tips_receiptHash_unique" UNIQUE("receipt_hash"),
	CONSTRAINT "bounty_tips_submission" UNIQUE("notice_id","submission_key")
);
--> statement-breakpoint
ALTER TABLE "bounty_notices" ADD CONSTRAINT "bounty_notices_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bounty_notices" ADD CONSTRAINT "bounty_notices_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bounty_notices" ADD CONSTRAINT "bounty_notices_prepared_by_users_id_fk" FOREIGN KEY ("prepared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bounty_notices" ADD CONSTRAINT "bounty_notices_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bounty_tip_access" ADD CONSTRAINT "bounty_tip_access_tip_id_bounty_tips_id_fk" FOREIGN KEY ("tip_id") REFERENCES "public"."bounty_tips"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bounty_tip_access" ADD CONSTRAINT "bounty_tip_access_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bounty_tip_access" ADD CONSTRAINT "bounty_tip_access_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bounty_tips" ADD CONSTRAINT "bounty_tips_notice_id_bounty_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."bounty_notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bounty_tips" ADD CONSTRAINT "bounty_tips_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bounty_tips" ADD CONSTRAINT "bounty_tips_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bounty_tips" ADD CONSTRAINT "bounty_tips_informant_user_id_users_id_fk" FOREIGN KEY ("informant_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bounty_tips" ADD CONSTRAINT "bounty_tips_assessed_by_users_id_fk" FOREIGN KEY ("assessed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bounty_tips" ADD CONSTRAINT "bounty_tips_fund_cost_id_fund_costs_id_fk" FOREIGN KEY ("fund_cost_id") REFERENCES "public"."fund_costs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bounty_tips" ADD CONSTRAINT "bounty_tips_awarded_by_users_id_fk" FOREIGN KEY ("awarded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bounty_notices_case_idx" ON "bounty_notices" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "bounty_notices_published_idx" ON "bounty_notices" USING btree ("publish_until") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "bounty_tip_access_tip_idx" ON "bounty_tip_access" USING btree ("tip_id","at");--> statement-breakpoint
CREATE INDEX "bounty_tips_notice_idx" ON "bounty_tips" USING btree ("notice_id","seq");--> statement-breakpoint
CREATE INDEX "bounty_tips_court_pending_idx" ON "bounty_tips" USING btree ("court_id") WHERE status = 'received';