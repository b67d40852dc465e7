CREATE TABLE "receipt_sequences" (
	"court_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "receipt_sequences_court_id_year_pk" PRIMARY KEY("court_id","year"),
	CONSTRAINT "receipt_sequences_last" CHECK ("receipt_sequences"."last" > 0)
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "receipt_number" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "receipt_issued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "receipt_sequences" ADD CONSTRAINT "receipt_sequences_court_id_organisations_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_receipt_number_key" ON "payments" USING btree ("receipt_number");--> statement-breakpoint
-- Receipts issued before their numbers: numbered in the order their money was recorded, per court
-- and Beijing year, and each sequence continues after them.
WITH numbered AS (
  SELECT p."id", o."code", extract(year FROM p."updated_at" AT TIME ZONE 'Asia/Shanghai')::int AS "year",
    row_number() OVER (PARTITION BY p."court_id", extract(year FROM p."updated_at" AT TIME ZONE 'Asia/Shanghai')
      ORDER BY p."updated_at", p."id") AS "n"
  FROM "payments" p JOIN "organisations" o ON o."id" = p."court_id"
  WHERE p."status" IN ('authorized', 'captured')
)
UPDATE "payments" SET
  "receipt_number" = numbered."code" || '-' || numbered."year" || '-' || lpad(numbered."n"::text, 6, '0'),
  "receipt_issued_at" = "payments"."updated_at"
FROM numbered WHERE numbered."id" = "payments"."id";
--> statement-breakpoint
INSERT INTO "receipt_sequences" ("court_id", "year", "last")
SELECT "court_id", extract(year FROM "receipt_issued_at" AT TIME ZONE 'Asia/Shanghai')::int, count(*)
FROM "payments" WHERE "receipt_number" IS NOT NULL
GROUP BY 1, 2;
