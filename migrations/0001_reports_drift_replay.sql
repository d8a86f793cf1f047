CREATE TABLE "drift" (
	"run_id" text NOT NULL,
	"task" text NOT NULL,
	"feature" text NOT NULL,
	"psi" double precision NOT NULL,
	"flagged" boolean NOT NULL,
	CONSTRAINT "drift_run_id_task_feature_pk" PRIMARY KEY("run_id","task","feature")
);
--> statement-breakpoint
CREATE TABLE "evaluations" (
	"run_id" text NOT NULL,
	"task" text NOT NULL,
	"model_id" text NOT NULL,
	"detail" jsonb NOT NULL,
	CONSTRAINT "evaluations_run_id_task_model_id_pk" PRIMARY KEY("run_id","task","model_id")
);
--> statement-breakpoint
CREATE TABLE "replay_buffer" (
	"task" text NOT NULL,
	"feed" text NOT NULL,
	"day" integer NOT NULL,
	"symbol" text NOT NULL,
	"run_id" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "replay_buffer_task_feed_day_symbol_pk" PRIMARY KEY("task","feed","day","symbol")
);
--> statement-breakpoint
CREATE TABLE "run_reports" (
	"run_id" text PRIMARY KEY NOT NULL,
	"html" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "drift" ADD CONSTRAINT "drift_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_reports" ADD CONSTRAINT "run_reports_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "replay_added" ON "replay_buffer" USING btree ("task","feed","added_at");