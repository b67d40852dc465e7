ALTER TABLE "api_tokens" ADD COLUMN "scopes" text[] DEFAULT '{read,write}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "suspended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "suspended_reason" text;--> statement-breakpoint
ALTER TABLE "outbox_endpoints" ADD COLUMN "organisation_id" uuid;--> statement-breakpoint
ALTER TABLE "outbox_endpoints" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "outbox_events" ADD COLUMN "audience" uuid[];--> statement-breakpoint
ALTER TABLE "outbox_endpoints" ADD CONSTRAINT "outbox_endpoints_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_endpoints" ADD CONSTRAINT "outbox_endpoints_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_endpoints_org_idx" ON "outbox_endpoints" USING btree ("organisation_id");