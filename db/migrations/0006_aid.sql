CREATE TYPE "public"."aid_batch_status" AS ENUM('prepared', 'approved', 'sent', 'settled');--> statement-breakpoint
CREATE TYPE "public"."aid_case_type" AS ENUM('criminal_incidental', 'personal_injury', 'unpaid_wages', 'support', 'medical', 'other');--> statement-breakpoint
CREATE TYPE "public"."aid_claim_status" AS ENUM('draft', 'submitted', 'returned', 'court_review', 'committee_review', 'court_approved', 'rejected', 'insurer_review', 'insurer_approved', 'declined', 'payment', 'paid', 'closed', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."aid_document_kind" AS ENUM('application', 'identity', 'judgment', 'termination_ruling', 'hardship', 'harm', 'bank_account');--> statement-breakpoint
CREATE TYPE "public"."aid_eligibility" AS ENUM('terminated_without_property', 'other');--> statement-breakpoint
CREATE TYPE "public"."aid_filed_via" AS ENUM('clerk', 'oral', 'creditor');--> statement-breakpoint
CREATE TYPE "public"."aid_payment_failure" AS ENUM('wrong_account', 'payee_unreachable', 'deceased', 'other');--> statement-breakpoint
CREATE TYPE "public"."aid_payment_status" AS ENUM('scheduled', 'approved', 'sent', 'confirmed', 'failed', 'reissued', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."aid_recovery_kind" AS ENUM('subrogation', 'fraud_clawback');--> statement-breakpoint
CREATE TYPE "public"."aid_recovery_source" AS ENUM('case_account', 'external');--> statement-breakpoint
CREATE TYPE "public"."aid_recovery_status" AS ENUM('recoverable', 'returned');--> statement-breakpoint
CREATE SEQUENCE "public"."aid_claim_serial" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "aid_claim_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"kind" "aid_document_kind" NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "aid_claim_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"claim_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from" "aid_claim_status",
	"to" "aid_claim_status",
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"amount_fen" bigint,
	"reason" text,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "aid_claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"court_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"insurer_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"applicant_name" text NOT NULL,
	"applicant_id_masked" text,
	"applicant_user_id" uuid,
	"case_type" "aid_case_type" NOT NULL,
	"eligibility" "aid_eligibility" NOT NULL,
	"eligibility_note" text,
	"hardship" text NOT NULL,
	"unpaid_fen" bigint NOT NULL,
	"requested_fen" bigint NOT NULL,
	"computed_fen" bigint NOT NULL,
	"court_approved_fen" bigint,
	"approved_fen" bigint,
	"approval_reason" text,
	"paid_fen" bigint DEFAULT 0 NOT NULL,
	"released_fen" bigint DEFAULT 0 NOT NULL,
	"recovered_fen" bigint DEFAULT 0 NOT NULL,
	"payee_name" text NOT NULL,
	"bank_name" text NOT NULL,
	"account_number" text NOT NULL,
	"account_verified_by" uuid,
	"account_verified_at" timestamp with time zone,
	"status" "aid_claim_status" DEFAULT 'draft' NOT NULL,
	"filed_via" "aid_filed_via" NOT NULL,
	"filed_by" uuid NOT NULL,
	"first_submitted_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"decision_due_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"court_reviewer_id" uuid,
	"referred_by" uuid,
	"court_decided_by" uuid,
	"insurer_decided_by" uuid,
	"overdue_notified_at" timestamp with time zone,
	"last_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "aid_claims_amounts" CHECK ("aid_claims"."requested_fen" > 0 and "aid_claims"."unpaid_fen" > 0 and "aid_claims"."computed_fen" >= 0 and "aid_claims"."paid_fen" >= 0
        and ("aid_claims"."approved_fen" is null or "aid_claims"."paid_fen" + "aid_claims"."released_fen" <= "aid_claims"."approved_fen")
        and ("aid_claims"."approved_fen" is null or "aid_claims"."approved_fen" <= "aid_claims"."court_approved_fen")
        and ("aid_claims"."court_approved_fen" is null or "aid_claims"."court_approved_fen" <= "aid_claims"."computed_fen")
        and "aid_claims"."recovered_fen" <= "aid_claims"."paid_fen")
);
--> statement-breakpoint
CREATE TABLE "aid_court_settings" (
	"court_id" uuid PRIMARY KEY NOT NULL,
	"committee_threshold_fen" bigint NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "aid_payment_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"insurer_id" uuid NOT NULL,
	"status" "aid_batch_status" DEFAULT 'prepared' NOT NULL,
	"prepared_by" uuid NOT NULL,
	"prepared_at" timestamp with time zone NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"sent_by" uuid,
	"sent_at" timestamp with time zone,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "aid_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"batch_id" uuid NOT NULL,
	"claim_id" uuid NOT NULL,
	"insurer_id" uuid NOT NULL,
	"payee_name" text NOT NULL,
	"bank_name" text NOT NULL,
	"account_number" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"status" "aid_payment_status" DEFAULT 'scheduled' NOT NULL,
	"failure_reason" "aid_payment_failure",
	"failure_note" text,
	"bank_reference" text,
	"reissue_of" uuid,
	"prepared_by" uuid NOT NULL,
	"approved_by" uuid,
	"sent_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "aid_payments_amount" CHECK ("aid_payments"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "aid_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"insurer_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"premium_fen" bigint NOT NULL,
	"limit_fen" bigint NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"eligible_case_types" "aid_case_type"[] NOT NULL,
	"formula" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "aid_policies_term" CHECK ("aid_policies"."ends_on" >= "aid_policies"."starts_on"),
	CONSTRAINT "aid_policies_amounts" CHECK ("aid_policies"."limit_fen" > 0 and "aid_policies"."premium_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "aid_recoveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"insurer_id" uuid NOT NULL,
	"kind" "aid_recovery_kind" NOT NULL,
	"source" "aid_recovery_source" NOT NULL,
	"amount_fen" bigint NOT NULL,
	"note" text NOT NULL,
	"status" "aid_recovery_status" DEFAULT 'recoverable' NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"returned_by" uuid,
	"returned_at" timestamp with time zone,
	CONSTRAINT "aid_recoveries_amount" CHECK ("aid_recoveries"."amount_fen" > 0)
);
--> statement-breakpoint
ALTER TABLE "aid_claim_documents" ADD CONSTRAINT "aid_claim_documents_claim_id_aid_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."aid_claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claim_documents" ADD CONSTRAINT "aid_claim_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claim_events" ADD CONSTRAINT "aid_claim_events_claim_id_aid_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."aid_claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claim_events" ADD CONSTRAINT "aid_claim_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claims" ADD CONSTRAINT "aid_claims_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claims" ADD CONSTRAINT "aid_claims_policy_id_aid_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."aid_policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claims" ADD CONSTRAINT "aid_claims_insurer_id_organisations_id_fk" FOREIGN KEY ("insurer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claims" ADD CONSTRAINT "aid_claims_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claims" ADD CONSTRAINT "aid_claims_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claims" ADD CONSTRAINT "aid_claims_applicant_user_id_users_id_fk" FOREIGN KEY ("applicant_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claims" ADD CONSTRAINT "aid_claims_account_verified_by_users_id_fk" FOREIGN KEY ("account_verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claims" ADD CONSTRAINT "aid_claims_filed_by_users_id_fk" FOREIGN KEY ("filed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claims" ADD CONSTRAINT "aid_claims_court_reviewer_id_users_id_fk" FOREIGN KEY ("court_reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claims" ADD CONSTRAINT "aid_claims_referred_by_users_id_fk" FOREIGN KEY ("referred_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claims" ADD CONSTRAINT "aid_claims_court_decided_by_users_id_fk" FOREIGN KEY ("court_decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_claims" ADD CONSTRAINT "aid_claims_insurer_decided_by_users_id_fk" FOREIGN KEY ("insurer_decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_court_settings" ADD CONSTRAINT "aid_court_settings_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_court_settings" ADD CONSTRAINT "aid_court_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_payment_batches" ADD CONSTRAINT "aid_payment_batches_insurer_id_organisations_id_fk" FOREIGN KEY ("insurer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_payment_batches" ADD CONSTRAINT "aid_payment_batches_prepared_by_users_id_fk" FOREIGN KEY ("prepared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_payment_batches" ADD CONSTRAINT "aid_payment_batches_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_payment_batches" ADD CONSTRAINT "aid_payment_batches_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_payments" ADD CONSTRAINT "aid_payments_batch_id_aid_payment_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."aid_payment_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_payments" ADD CONSTRAINT "aid_payments_claim_id_aid_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."aid_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_payments" ADD CONSTRAINT "aid_payments_insurer_id_organisations_id_fk" FOREIGN KEY ("insurer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_payments" ADD CONSTRAINT "aid_payments_reissue_of_aid_payments_id_fk" FOREIGN KEY ("reissue_of") REFERENCES "public"."aid_payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_payments" ADD CONSTRAINT "aid_payments_prepared_by_users_id_fk" FOREIGN KEY ("prepared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_payments" ADD CONSTRAINT "aid_payments_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_policies" ADD CONSTRAINT "aid_policies_insurer_id_organisations_id_fk" FOREIGN KEY ("insurer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_policies" ADD CONSTRAINT "aid_policies_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_policies" ADD CONSTRAINT "aid_policies_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_recoveries" ADD CONSTRAINT "aid_recoveries_claim_id_aid_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."aid_claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_recoveries" ADD CONSTRAINT "aid_recoveries_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_recoveries" ADD CONSTRAINT "aid_recoveries_insurer_id_organisations_id_fk" FOREIGN KEY ("insurer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_recoveries" ADD CONSTRAINT "aid_recoveries_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_recoveries" ADD CONSTRAINT "aid_recoveries_returned_by_users_id_fk" FOREIGN KEY ("returned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "aid_claim_documents_claim_idx" ON "aid_claim_documents" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "aid_claim_events_claim_idx" ON "aid_claim_events" USING btree ("claim_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_claims_number_key" ON "aid_claims" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_claims_once_per_applicant" ON "aid_claims" USING btree ("case_id","party_id") WHERE status not in ('rejected', 'declined', 'withdrawn');--> statement-breakpoint
CREATE INDEX "aid_claims_court_idx" ON "aid_claims" USING btree ("court_id","status");--> statement-breakpoint
CREATE INDEX "aid_claims_insurer_idx" ON "aid_claims" USING btree ("insurer_id","status");--> statement-breakpoint
CREATE INDEX "aid_claims_policy_idx" ON "aid_claims" USING btree ("policy_id");--> statement-breakpoint
CREATE INDEX "aid_claims_applicant_user_idx" ON "aid_claims" USING btree ("applicant_user_id");--> statement-breakpoint
CREATE INDEX "aid_claims_due_idx" ON "aid_claims" USING btree ("decision_due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_payment_batches_number_key" ON "aid_payment_batches" USING btree ("number");--> statement-breakpoint
CREATE INDEX "aid_payment_batches_insurer_idx" ON "aid_payment_batches" USING btree ("insurer_id","prepared_at");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_payments_reference_key" ON "aid_payments" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "aid_payments_batch_idx" ON "aid_payments" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "aid_payments_claim_idx" ON "aid_payments" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "aid_payments_settled_idx" ON "aid_payments" USING btree ("insurer_id","status","settled_at");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_policies_number_key" ON "aid_policies" USING btree ("number");--> statement-breakpoint
CREATE INDEX "aid_policies_insurer_idx" ON "aid_policies" USING btree ("insurer_id");--> statement-breakpoint
CREATE INDEX "aid_policies_court_idx" ON "aid_policies" USING btree ("court_id");--> statement-breakpoint
CREATE INDEX "aid_recoveries_claim_idx" ON "aid_recoveries" USING btree ("claim_id");