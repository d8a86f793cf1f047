ALTER TABLE "models" ADD COLUMN "build_id" text;--> statement-breakpoint
ALTER TABLE "promotion_decisions" ADD COLUMN "approval" jsonb;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "build_id" text;