CREATE TYPE "public"."arrears_kind" AS ENUM('property_fees', 'utilities', 'other');--> statement-breakpoint
CREATE TYPE "public"."arrears_payer" AS ENUM('buyer', 'proceeds');--> statement-breakpoint
CREATE TYPE "public"."occupancy_kind" AS ENUM('vacant', 'owner_occupied', 'tenant', 'other');--> statement-breakpoint
CREATE TABLE "listing_arrears" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" "arrears_kind" NOT NULL,
	"description" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"payer" "arrears_payer" NOT NULL,
	CONSTRAINT "listing_arrears_amount_positive" CHECK ("listing_arrears"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "viewing_bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slot_id" uuid NOT NULL,
	"listing_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "viewing_slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place" text NOT NULL,
	"capacity" integer NOT NULL,
	"booked" integer DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "viewing_slots_seats" CHECK ("viewing_slots"."capacity" > 0 and "viewing_slots"."booked" >= 0 and "viewing_slots"."booked" <= "viewing_slots"."capacity"),
	CONSTRAINT "viewing_slots_times" CHECK ("viewing_slots"."ends_at" > "viewing_slots"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "occupancy" "occupancy_kind";--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "lease_ends_on" date;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "monthly_rent_fen" bigint;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "occupancy_note" text;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "arrears_declared_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "loan_supported" boolean;--> statement-breakpoint
ALTER TABLE "listing_arrears" ADD CONSTRAINT "listing_arrears_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "viewing_bookings" ADD CONSTRAINT "viewing_bookings_slot_id_viewing_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."viewing_slots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "viewing_bookings" ADD CONSTRAINT "viewing_bookings_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "viewing_bookings" ADD CONSTRAINT "viewing_bookings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "viewing_slots" ADD CONSTRAINT "viewing_slots_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "viewing_slots" ADD CONSTRAINT "viewing_slots_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "listing_arrears_listing_position_key" ON "listing_arrears" USING btree ("listing_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "viewing_bookings_listing_user_key" ON "viewing_bookings" USING btree ("listing_id","user_id");--> statement-breakpoint
CREATE INDEX "viewing_bookings_slot_idx" ON "viewing_bookings" USING btree ("slot_id");--> statement-breakpoint
CREATE INDEX "viewing_slots_listing_idx" ON "viewing_slots" USING btree ("listing_id","starts_at");