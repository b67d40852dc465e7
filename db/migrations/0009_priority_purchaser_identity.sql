CREATE TYPE "public"."identity_kind" AS ENUM('person', 'organisation');--> statement-breakpoint
ALTER TABLE "priority_purchasers" DROP CONSTRAINT "priority_purchasers_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "priority_purchasers" ADD COLUMN "identity_kind" "identity_kind";--> statement-breakpoint
ALTER TABLE "priority_purchasers" ADD COLUMN "identity_cipher" text;--> statement-breakpoint
ALTER TABLE "priority_purchasers" ADD COLUMN "identity_digest" text;--> statement-breakpoint
ALTER TABLE "priority_purchasers" ADD COLUMN "identity_masked" text;--> statement-breakpoint
CREATE UNIQUE INDEX "priority_purchasers_listing_identity_key" ON "priority_purchasers" USING btree ("listing_id","identity_digest");--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_priority_purchaser_key" ON "registrations" USING btree ("priority_purchaser_id");--> statement-breakpoint
ALTER TABLE "priority_purchasers" DROP COLUMN "user_id";--> statement-breakpoint
ALTER TABLE "priority_purchasers" ADD CONSTRAINT "priority_purchasers_identity_whole" CHECK (num_nonnulls("priority_purchasers"."identity_kind", "priority_purchasers"."identity_cipher", "priority_purchasers"."identity_digest", "priority_purchasers"."identity_masked") in (0, 4));