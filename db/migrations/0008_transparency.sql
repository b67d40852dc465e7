CREATE TABLE "transparency_checkpoints" (
	"number" bigint PRIMARY KEY NOT NULL,
	"tree_size" bigint NOT NULL,
	"root_hash" text NOT NULL,
	"previous_hash" text NOT NULL,
	"issued_at" timestamp (3) with time zone NOT NULL,
	"key_id" text NOT NULL,
	"body" text NOT NULL,
	"signature" text NOT NULL,
	"hash" text NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transparency_heads" (
	"listing_id" uuid PRIMARY KEY NOT NULL,
	"seq" integer NOT NULL,
	"head_hash" text NOT NULL,
	"leaf_index" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transparency_leaves" (
	"index" bigint PRIMARY KEY NOT NULL,
	"listing_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"head_hash" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transparency_nodes" (
	"level" smallint NOT NULL,
	"index" bigint NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "transparency_nodes_level_index_pk" PRIMARY KEY("level","index")
);
--> statement-breakpoint
CREATE INDEX "transparency_leaves_listing_idx" ON "transparency_leaves" USING btree ("listing_id","index");