CREATE TABLE "placebo_audits" (
	"id" text PRIMARY KEY NOT NULL,
	"task" text NOT NULL,
	"feed" text NOT NULL,
	"as_of" date NOT NULL,
	"trials" integer NOT NULL,
	"promotions" integer NOT NULL,
	"ci_low" double precision NOT NULL,
	"ci_high" double precision NOT NULL,
	"block" integer NOT NULL,
	"models" jsonb NOT NULL,
	"gate" jsonb NOT NULL,
	"results" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "placebo_audits_task_feed" ON "placebo_audits" USING btree ("task","feed","created_at");