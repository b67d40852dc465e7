CREATE TYPE "public"."verification_outcome" AS ENUM('verified', 'rejected', 'unavailable');--> statement-breakpoint
CREATE TABLE "identity_verifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"outcome" "verification_outcome" NOT NULL,
	"reason" text,
	"reference" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "password_reset_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"identifier_hash" text NOT NULL,
	"ip" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "must_change_password" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "identity_verifications" ADD CONSTRAINT "identity_verifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "identity_verifications_user_idx" ON "identity_verifications" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "password_reset_requests_ip_at_idx" ON "password_reset_requests" USING btree ("ip","at");--> statement-breakpoint
CREATE INDEX "password_reset_requests_identifier_at_idx" ON "password_reset_requests" USING btree ("identifier_hash","at");--> statement-breakpoint
-- ADR 028: "verified" only where a verification happened. Staff accounts were created "verified"
-- without any identity number; they are unverified until they verify.
UPDATE "users" SET "verification" = 'unverified' WHERE "verification" = 'verified' AND "national_id_digest" IS NULL;
