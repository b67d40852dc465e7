-- Issue 14: aid payments become the disbursements module's tables (ADR 010). Renames only, so
-- the rows, their ids and references survive: every existing row is an aid payment, so it gets
-- purpose 'aid_claim', its claim as subject and the memo its bank file line always carried.
ALTER TYPE "public"."aid_batch_status" RENAME TO "disbursement_batch_status";--> statement-breakpoint
ALTER TYPE "public"."aid_payment_failure" RENAME TO "disbursement_failure";--> statement-breakpoint
ALTER TYPE "public"."aid_payment_status" RENAME TO "disbursement_status";--> statement-breakpoint
ALTER TABLE "aid_payment_batches" RENAME TO "disbursement_batches";--> statement-breakpoint
ALTER TABLE "aid_payments" RENAME TO "disbursements";--> statement-breakpoint
ALTER TABLE "disbursement_batches" RENAME COLUMN "insurer_id" TO "payer_id";--> statement-breakpoint
ALTER TABLE "disbursements" RENAME COLUMN "claim_id" TO "subject_id";--> statement-breakpoint
ALTER TABLE "disbursements" RENAME COLUMN "insurer_id" TO "payer_id";--> statement-breakpoint
ALTER TABLE "disbursement_batches" RENAME CONSTRAINT "aid_payment_batches_pkey" TO "disbursement_batches_pkey";--> statement-breakpoint
ALTER TABLE "disbursements" RENAME CONSTRAINT "aid_payments_pkey" TO "disbursements_pkey";--> statement-breakpoint
ALTER TABLE "disbursements" RENAME CONSTRAINT "aid_payments_amount" TO "disbursements_amount";--> statement-breakpoint
ALTER TABLE "disbursement_batches" RENAME CONSTRAINT "aid_payment_batches_insurer_id_organisations_id_fk" TO "disbursement_batches_payer_id_organisations_id_fk";--> statement-breakpoint
ALTER TABLE "disbursement_batches" RENAME CONSTRAINT "aid_payment_batches_prepared_by_users_id_fk" TO "disbursement_batches_prepared_by_users_id_fk";--> statement-breakpoint
ALTER TABLE "disbursement_batches" RENAME CONSTRAINT "aid_payment_batches_approved_by_users_id_fk" TO "disbursement_batches_approved_by_users_id_fk";--> statement-breakpoint
ALTER TABLE "disbursement_batches" RENAME CONSTRAINT "aid_payment_batches_sent_by_users_id_fk" TO "disbursement_batches_sent_by_users_id_fk";--> statement-breakpoint
ALTER TABLE "disbursements" RENAME CONSTRAINT "aid_payments_batch_id_aid_payment_batches_id_fk" TO "disbursements_batch_id_disbursement_batches_id_fk";--> statement-breakpoint
ALTER TABLE "disbursements" RENAME CONSTRAINT "aid_payments_insurer_id_organisations_id_fk" TO "disbursements_payer_id_organisations_id_fk";--> statement-breakpoint
ALTER TABLE "disbursements" RENAME CONSTRAINT "aid_payments_reissue_of_aid_payments_id_fk" TO "disbursements_reissue_of_disbursements_id_fk";--> statement-breakpoint
ALTER TABLE "disbursements" RENAME CONSTRAINT "aid_payments_prepared_by_users_id_fk" TO "disbursements_prepared_by_users_id_fk";--> statement-breakpoint
ALTER TABLE "disbursements" RENAME CONSTRAINT "aid_payments_approved_by_users_id_fk" TO "disbursements_approved_by_users_id_fk";--> statement-breakpoint
-- The subject is opaque to the module: no foreign key to any purpose's table.
ALTER TABLE "disbursements" DROP CONSTRAINT "aid_payments_claim_id_aid_claims_id_fk";--> statement-breakpoint
ALTER INDEX "aid_payment_batches_number_key" RENAME TO "disbursement_batches_number_key";--> statement-breakpoint
ALTER INDEX "aid_payment_batches_insurer_idx" RENAME TO "disbursement_batches_payer_idx";--> statement-breakpoint
ALTER INDEX "aid_payments_reference_key" RENAME TO "disbursements_reference_key";--> statement-breakpoint
ALTER INDEX "aid_payments_batch_idx" RENAME TO "disbursements_batch_idx";--> statement-breakpoint
ALTER INDEX "aid_payments_claim_idx" RENAME TO "disbursements_subject_idx";--> statement-breakpoint
ALTER INDEX "aid_payments_settled_idx" RENAME TO "disbursements_settled_idx";--> statement-breakpoint
ALTER TABLE "disbursement_batches" ADD COLUMN "purpose" text;--> statement-breakpoint
ALTER TABLE "disbursements" ADD COLUMN "purpose" text;--> statement-breakpoint
ALTER TABLE "disbursements" ADD COLUMN "memo" text;--> statement-breakpoint
UPDATE "disbursement_batches" SET "purpose" = 'aid_claim';--> statement-breakpoint
UPDATE "disbursements" SET "purpose" = 'aid_claim', "memo" = '执行救助金 ' || "aid_claims"."number" FROM "aid_claims" WHERE "aid_claims"."id" = "disbursements"."subject_id";--> statement-breakpoint
ALTER TABLE "disbursement_batches" ALTER COLUMN "purpose" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "disbursements" ALTER COLUMN "purpose" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "disbursements" ALTER COLUMN "memo" SET NOT NULL;
