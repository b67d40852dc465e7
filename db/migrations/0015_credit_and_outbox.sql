CREATE TYPE "public"."credit_correction_status" AS ENUM('received', 'upheld', 'rejected', 'appealed', 'appeal_upheld', 'appeal_rejected');--> statement-breakpoint
CREATE TYPE "public"."credit_deletion_ground" AS ENUM('performed', 'settlement_performed', 'applicant_request', 'no_property_after_zhongben', 'suspended', 'enforcement_refused', 'enforcement_terminated', 'term_expired');--> statement-breakpoint
CREATE TYPE "public"."credit_listing_status" AS ENUM('draft', 'decided', 'published', 'deleted', 'revoked');--> statement-breakpoint
CREATE TYPE "public"."credit_partner_kind" AS ENUM('airline', 'railway', 'credit_bureau', 'other');--> statement-breakpoint
CREATE TYPE "public"."credit_restricted_role" AS ENUM('debtor', 'legal_representative', 'person_in_charge', 'directly_responsible', 'actual_controller');--> statement-breakpoint
CREATE TYPE "public"."credit_restriction_lift" AS ENUM('security', 'consent', 'full_performance');--> statement-breakpoint
CREATE TYPE "public"."credit_restriction_status" AS ENUM('draft', 'in_force', 'lifted');--> statement-breakpoint
CREATE TYPE "public"."credit_subject_kind" AS ENUM('person', 'company');--> statement-breakpoint
CREATE TYPE "public"."outbox_delivery_status" AS ENUM('pending', 'delivered', 'dead');--> statement-breakpoint
CREATE TABLE "credit_corrections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"higher_court_id" uuid,
	"status" "credit_correction_status" DEFAULT 'received' NOT NULL,
	"applicant" text NOT NULL,
	"reason" text NOT NULL,
	"received_on" date NOT NULL,
	"review_due_on" date NOT NULL,
	"decided_on" date,
	"decision" text,
	"decided_by" uuid,
	"appealed_on" date,
	"appeal_due_on" date,
	"appeal_decided_on" date,
	"appeal_decision" text,
	"appeal_decided_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_listings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"measure_id" uuid,
	"status" "credit_listing_status" DEFAULT 'draft' NOT NULL,
	"decision_number" text NOT NULL,
	"subject_kind" "credit_subject_kind" NOT NULL,
	"name" text NOT NULL,
	"sex" text,
	"birth_date" date,
	"id_sealed" text NOT NULL,
	"id_digest" text NOT NULL,
	"id_published" text NOT NULL,
	"legal_representative" text,
	"province" text NOT NULL,
	"ground" smallint NOT NULL,
	"conduct" text NOT NULL,
	"evidence" text NOT NULL,
	"term_months" integer,
	"obligation" text NOT NULL,
	"title_number" text NOT NULL,
	"title_issuer" text NOT NULL,
	"performed_fen" bigint DEFAULT 0 NOT NULL,
	"unperformed_fen" bigint NOT NULL,
	"grace_months" integer DEFAULT 0 NOT NULL,
	"prepared_by" uuid,
	"decided_by" uuid,
	"decided_on" date,
	"publish_on" date,
	"published_at" timestamp with time zone,
	"expires_on" date,
	"served_on" date,
	"service_method" text,
	"deletion_ground" "credit_deletion_ground",
	"deletion_ground_at" timestamp with time zone,
	"deletion_due_at" timestamp with time zone,
	"removed_at" timestamp with time zone,
	"removal_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_partners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" "credit_partner_kind" NOT NULL,
	"token_hash" text NOT NULL,
	"token_prefix" text NOT NULL,
	"endpoint_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "credit_partners_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "credit_query_clients" (
	"client_key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"cleared_until" timestamp with time zone,
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_restricted_persons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"restriction_id" uuid NOT NULL,
	"role" "credit_restricted_role" NOT NULL,
	"name" text NOT NULL,
	"id_sealed" text NOT NULL,
	"id_digest" text NOT NULL,
	"id_published" text NOT NULL,
	"in_force" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_restriction_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"restriction_id" uuid NOT NULL,
	"person_id" uuid,
	"item" text NOT NULL,
	"reason" text NOT NULL,
	"from_on" date NOT NULL,
	"until_on" date NOT NULL,
	"approved_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_restrictions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"listing_id" uuid,
	"measure_id" uuid,
	"status" "credit_restriction_status" DEFAULT 'draft' NOT NULL,
	"order_number" text NOT NULL,
	"subject_kind" "credit_subject_kind" NOT NULL,
	"name" text NOT NULL,
	"id_published" text NOT NULL,
	"province" text NOT NULL,
	"items" text[] NOT NULL,
	"prepared_by" uuid,
	"signed_by" uuid,
	"issued_on" date,
	"published_at" timestamp with time zone,
	"lifted_on" date,
	"lift_ground" "credit_restriction_lift",
	"lifted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"delivery_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"status" "outbox_delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "outbox_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner" text NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"secret_sealed" text NOT NULL,
	"topics" text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"lease_until" timestamp with time zone,
	"lease_owner" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "credit_corrections" ADD CONSTRAINT "credit_corrections_listing_id_credit_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."credit_listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_corrections" ADD CONSTRAINT "credit_corrections_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_corrections" ADD CONSTRAINT "credit_corrections_higher_court_id_organisations_id_fk" FOREIGN KEY ("higher_court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_corrections" ADD CONSTRAINT "credit_corrections_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_corrections" ADD CONSTRAINT "credit_corrections_appeal_decided_by_users_id_fk" FOREIGN KEY ("appeal_decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_listings" ADD CONSTRAINT "credit_listings_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_listings" ADD CONSTRAINT "credit_listings_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_listings" ADD CONSTRAINT "credit_listings_measure_id_case_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."case_measures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_listings" ADD CONSTRAINT "credit_listings_prepared_by_users_id_fk" FOREIGN KEY ("prepared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_listings" ADD CONSTRAINT "credit_listings_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_partners" ADD CONSTRAINT "credit_partners_endpoint_id_outbox_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."outbox_endpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_partners" ADD CONSTRAINT "credit_partners_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_restricted_persons" ADD CONSTRAINT "credit_restricted_persons_restriction_id_credit_restrictions_id_fk" FOREIGN KEY ("restriction_id") REFERENCES "public"."credit_restrictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_restriction_exceptions" ADD CONSTRAINT "credit_restriction_exceptions_restriction_id_credit_restrictions_id_fk" FOREIGN KEY ("restriction_id") REFERENCES "public"."credit_restrictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_restriction_exceptions" ADD CONSTRAINT "credit_restriction_exceptions_person_id_credit_restricted_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."credit_restricted_persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_restriction_exceptions" ADD CONSTRAINT "credit_restriction_exceptions_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_restrictions" ADD CONSTRAINT "credit_restrictions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_restrictions" ADD CONSTRAINT "credit_restrictions_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_restrictions" ADD CONSTRAINT "credit_restrictions_listing_id_credit_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."credit_listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_restrictions" ADD CONSTRAINT "credit_restrictions_measure_id_case_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."case_measures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_restrictions" ADD CONSTRAINT "credit_restrictions_prepared_by_users_id_fk" FOREIGN KEY ("prepared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_restrictions" ADD CONSTRAINT "credit_restrictions_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_restrictions" ADD CONSTRAINT "credit_restrictions_lifted_by_users_id_fk" FOREIGN KEY ("lifted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_attempts" ADD CONSTRAINT "outbox_attempts_delivery_id_outbox_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."outbox_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_deliveries" ADD CONSTRAINT "outbox_deliveries_endpoint_id_outbox_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."outbox_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_deliveries" ADD CONSTRAINT "outbox_deliveries_event_id_outbox_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outbox_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_corrections_listing_idx" ON "credit_corrections" USING btree ("listing_id");--> statement-breakpoint
CREATE INDEX "credit_corrections_court_idx" ON "credit_corrections" USING btree ("court_id","review_due_on");--> statement-breakpoint
CREATE INDEX "credit_corrections_higher_idx" ON "credit_corrections" USING btree ("higher_court_id","appeal_due_on");--> statement-breakpoint
CREATE INDEX "credit_listings_case_idx" ON "credit_listings" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "credit_listings_published_digest_idx" ON "credit_listings" USING btree ("id_digest") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "credit_listings_published_name_idx" ON "credit_listings" USING btree ("name","published_at") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "credit_listings_court_idx" ON "credit_listings" USING btree ("court_id","created_at");--> statement-breakpoint
CREATE INDEX "credit_restricted_persons_digest_idx" ON "credit_restricted_persons" USING btree ("id_digest") WHERE in_force = 1;--> statement-breakpoint
CREATE INDEX "credit_restricted_persons_order_idx" ON "credit_restricted_persons" USING btree ("restriction_id");--> statement-breakpoint
CREATE INDEX "credit_restrictions_case_idx" ON "credit_restrictions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "credit_restrictions_listing_idx" ON "credit_restrictions" USING btree ("listing_id");--> statement-breakpoint
CREATE INDEX "credit_restrictions_name_idx" ON "credit_restrictions" USING btree ("name") WHERE status = 'in_force';--> statement-breakpoint
CREATE INDEX "outbox_attempts_delivery_idx" ON "outbox_attempts" USING btree ("delivery_id","attempt");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_deliveries_endpoint_event_key" ON "outbox_deliveries" USING btree ("endpoint_id","event_id");--> statement-breakpoint
CREATE INDEX "outbox_deliveries_pending_idx" ON "outbox_deliveries" USING btree ("endpoint_id","seq") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_endpoints_owner_idx" ON "outbox_endpoints" USING btree ("owner");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_events_seq_key" ON "outbox_events" USING btree ("seq");