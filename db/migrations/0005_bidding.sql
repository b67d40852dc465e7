CREATE TYPE "public"."bid_source" AS ENUM('live', 'proxy');--> statement-breakpoint
CREATE TABLE "auction_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"listing_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bid_requests" (
	"registration_id" uuid NOT NULL,
	"client_key" text NOT NULL,
	"answer" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bid_requests_registration_id_client_key_pk" PRIMARY KEY("registration_id","client_key")
);
--> statement-breakpoint
CREATE TABLE "bids" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"registration_id" uuid NOT NULL,
	"code" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"source" "bid_source" NOT NULL,
	"priority_rank" integer,
	"extended_to" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "proxy_bids" (
	"registration_id" uuid PRIMARY KEY NOT NULL,
	"listing_id" uuid NOT NULL,
	"max_fen" bigint NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"set_at" timestamp (3) with time zone NOT NULL,
	"serial" bigserial NOT NULL
);
--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "current_price_fen" bigint;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "leader_registration_id" uuid;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "leader_priority_rank" integer;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "bid_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "extension_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "last_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "last_hash" text;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "remaining_ms_at_suspension" bigint;--> statement-breakpoint
ALTER TABLE "auction_events" ADD CONSTRAINT "auction_events_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_requests" ADD CONSTRAINT "bid_requests_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_bids" ADD CONSTRAINT "proxy_bids_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_bids" ADD CONSTRAINT "proxy_bids_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "auction_events_listing_seq_key" ON "auction_events" USING btree ("listing_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "bids_listing_seq_key" ON "bids" USING btree ("listing_id","seq");--> statement-breakpoint
CREATE INDEX "bids_registration_idx" ON "bids" USING btree ("registration_id");--> statement-breakpoint
CREATE INDEX "proxy_bids_listing_idx" ON "proxy_bids" USING btree ("listing_id","active");