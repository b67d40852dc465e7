CREATE TYPE "public"."practice_outcome" AS ENUM('sold', 'failed');--> statement-breakpoint
CREATE TYPE "public"."practice_status" AS ENUM('live', 'ended');--> statement-breakpoint
CREATE TABLE "practice_bid_requests" (
	"session_id" uuid NOT NULL,
	"client_key" text NOT NULL,
	"answer" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "practice_bid_requests_session_id_client_key_pk" PRIMARY KEY("session_id","client_key")
);
--> statement-breakpoint
CREATE TABLE "practice_events" (
	"session_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	CONSTRAINT "practice_events_session_id_seq_pk" PRIMARY KEY("session_id","seq")
);
--> statement-breakpoint
CREATE TABLE "practice_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"status" "practice_status" NOT NULL,
	"outcome" "practice_outcome",
	"code" text NOT NULL,
	"starting_price_fen" bigint NOT NULL,
	"increment_fen" bigint NOT NULL,
	"deposit_fen" bigint NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"current_end_at" timestamp (3) with time zone NOT NULL,
	"extension_ms" integer NOT NULL,
	"reaction_ms" integer NOT NULL,
	"script" jsonb NOT NULL,
	"price_fen" bigint,
	"leader_code" text,
	"bid_count" integer DEFAULT 0 NOT NULL,
	"extension_count" integer DEFAULT 0 NOT NULL,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"last_event_at" timestamp (3) with time zone,
	"proxy_max_fen" bigint,
	"ended_at" timestamp (3) with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "practice_bid_requests" ADD CONSTRAINT "practice_bid_requests_session_id_practice_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."practice_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_events" ADD CONSTRAINT "practice_events_session_id_practice_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."practice_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_sessions" ADD CONSTRAINT "practice_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "practice_sessions_live_user_key" ON "practice_sessions" USING btree ("user_id") WHERE "practice_sessions"."status" = 'live';--> statement-breakpoint
CREATE INDEX "practice_sessions_user_idx" ON "practice_sessions" USING btree ("user_id","created_at");