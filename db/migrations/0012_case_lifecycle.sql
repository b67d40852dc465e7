CREATE TYPE "public"."case_type" AS ENUM('first', 'resumed', 'preservation', 'objection', 'review', 'supervision');--> statement-breakpoint
CREATE TYPE "public"."closure_mode" AS ENUM('fully_performed', 'settlement_performed', 'terminated', 'terminated_for_now', 'not_enforced', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."case_complaint_channel" AS ENUM('visit', 'letter', 'phone', 'online');--> statement-breakpoint
CREATE TYPE "public"."case_complaint_status" AS ENUM('received', 'assigned', 'settled');--> statement-breakpoint
CREATE TYPE "public"."case_extension_authority" AS ENUM('president', 'high_court');--> statement-breakpoint
CREATE TYPE "public"."case_interval_kind" AS ENUM('appraisal', 'audit', 'asset_clearing', 'suspension', 'postponement', 'notice');--> statement-breakpoint
CREATE TYPE "public"."case_measure_kind" AS ENUM('enforcement_notice', 'property_report_order', 'property_report', 'online_search', 'onsite_check', 'premises_search', 'seizure', 'consumption_restriction', 'dishonest_listing', 'applicant_interview', 'bounty', 'audit', 'whereabouts_search', 'fine', 'detention', 'criminal_referral');--> statement-breakpoint
CREATE TYPE "public"."title_kind" AS ENUM('litigation', 'non_litigation');--> statement-breakpoint
ALTER TYPE "public"."role" ADD VALUE 'court_president' BEFORE 'insurer_adjuster';--> statement-breakpoint
CREATE TABLE "case_complaints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"status" "case_complaint_status" DEFAULT 'received' NOT NULL,
	"channel" "case_complaint_channel" NOT NULL,
	"complainant" text NOT NULL,
	"summary" text NOT NULL,
	"received_on" date NOT NULL,
	"due_on" date NOT NULL,
	"received_by" uuid,
	"assigned_to" uuid,
	"assigned_at" timestamp with time zone,
	"settled_on" date,
	"outcome" text,
	"settled_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_extensions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"months" integer NOT NULL,
	"authority" "case_extension_authority" NOT NULL,
	"reference" text,
	"reason" text NOT NULL,
	"approved_by" uuid NOT NULL,
	"approved_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"measure_id" uuid,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_intervals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" "case_interval_kind" NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"reason" text NOT NULL,
	"recorded_by" uuid,
	"ended_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_measures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" "case_measure_kind" NOT NULL,
	"taken_on" date NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"note" text,
	"taken_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "case_type" "case_type" GENERATED ALWAYS AS (case substring(case_number from '(执[恢保异复监]?)[0-9]+号$')
  when '执恢' then 'resumed'::case_type when '执保' then 'preservation'::case_type
  when '执异' then 'objection'::case_type when '执复' then 'review'::case_type
  when '执监' then 'supervision'::case_type else 'first'::case_type end) STORED;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "title_kind" "title_kind" DEFAULT 'litigation' NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "filed_on" date DEFAULT (now() at time zone 'Asia/Shanghai')::date NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "due_on" date;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "property_found" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "closure_mode" "closure_mode";--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "closed_on" date;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "closed_by" uuid;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "recovered_fen" bigint;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "unpaid_fen" bigint;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "closure_ruling" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "closure_reason" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "excluded_days" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "net_days" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "within_limit" boolean;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "zhongben_qualified" boolean;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "closure_checklist" jsonb;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "resumed_from_id" uuid;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "resumption_due_on" date;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "resumption_measure_id" uuid;--> statement-breakpoint
ALTER TABLE "case_complaints" ADD CONSTRAINT "case_complaints_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_complaints" ADD CONSTRAINT "case_complaints_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_complaints" ADD CONSTRAINT "case_complaints_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_complaints" ADD CONSTRAINT "case_complaints_assigned_to_users_id_fk" FOREIGN KEY ("assigned_to") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_complaints" ADD CONSTRAINT "case_complaints_settled_by_users_id_fk" FOREIGN KEY ("settled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_extensions" ADD CONSTRAINT "case_extensions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_extensions" ADD CONSTRAINT "case_extensions_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_files" ADD CONSTRAINT "case_files_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_files" ADD CONSTRAINT "case_files_measure_id_case_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."case_measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_files" ADD CONSTRAINT "case_files_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_intervals" ADD CONSTRAINT "case_intervals_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_intervals" ADD CONSTRAINT "case_intervals_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_intervals" ADD CONSTRAINT "case_intervals_ended_by_users_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_measures" ADD CONSTRAINT "case_measures_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_measures" ADD CONSTRAINT "case_measures_taken_by_users_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_complaints_case_idx" ON "case_complaints" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_complaints_court_due_idx" ON "case_complaints" USING btree ("court_id","due_on") WHERE status <> 'settled';--> statement-breakpoint
CREATE INDEX "case_extensions_case_idx" ON "case_extensions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_files_measure_idx" ON "case_files" USING btree ("measure_id");--> statement-breakpoint
CREATE INDEX "case_files_case_idx" ON "case_files" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_intervals_case_idx" ON "case_intervals" USING btree ("case_id","starts_on");--> statement-breakpoint
CREATE INDEX "case_measures_case_idx" ON "case_measures" USING btree ("case_id","taken_on");--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_resumed_from_id_cases_id_fk" FOREIGN KEY ("resumed_from_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_court_due_idx" ON "cases" USING btree ("court_id","due_on") WHERE closed_on is null;--> statement-breakpoint
CREATE INDEX "cases_court_closed_idx" ON "cases" USING btree ("court_id","closed_on");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_resumed_from_key" ON "cases" USING btree ("resumed_from_id");