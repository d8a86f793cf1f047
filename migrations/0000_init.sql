CREATE TABLE "alias_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"task" text NOT NULL,
	"alias" text NOT NULL,
	"model_id" text NOT NULL,
	"previous_model_id" text,
	"actor" text NOT NULL,
	"reason" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"task" text NOT NULL,
	"feed" text NOT NULL,
	"as_of" date NOT NULL,
	"max_bar_date" date NOT NULL,
	"feature_names" jsonb NOT NULL,
	"class_names" jsonb NOT NULL,
	"sample_counts" jsonb NOT NULL,
	"summary" jsonb NOT NULL,
	"payload" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "market_bars" (
	"feed" text NOT NULL,
	"symbol" text NOT NULL,
	"date" date NOT NULL,
	"open" double precision,
	"high" double precision NOT NULL,
	"low" double precision NOT NULL,
	"close" double precision NOT NULL,
	"adj_close" double precision,
	"volume" double precision,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "market_bars_feed_symbol_date_pk" PRIMARY KEY("feed","symbol","date")
);
--> statement-breakpoint
CREATE TABLE "metrics" (
	"model_id" text NOT NULL,
	"run_id" text NOT NULL,
	"split" text NOT NULL,
	"regime" text NOT NULL,
	"name" text NOT NULL,
	"value" double precision,
	CONSTRAINT "metrics_model_id_run_id_split_regime_name_pk" PRIMARY KEY("model_id","run_id","split","regime","name")
);
--> statement-breakpoint
CREATE TABLE "model_aliases" (
	"task" text NOT NULL,
	"alias" text NOT NULL,
	"model_id" text NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	"run_id" text,
	CONSTRAINT "model_aliases_task_alias_pk" PRIMARY KEY("task","alias")
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"dataset_id" text NOT NULL,
	"task" text NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb NOT NULL,
	"artifact" "bytea" NOT NULL,
	"artifact_sha256" text NOT NULL,
	"train_summary" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "promotion_decisions" (
	"run_id" text NOT NULL,
	"task" text NOT NULL,
	"challenger_id" text,
	"champion_id" text,
	"promoted" boolean NOT NULL,
	"checks" jsonb NOT NULL,
	"reason" text NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promotion_decisions_run_id_task_pk" PRIMARY KEY("run_id","task")
);
--> statement-breakpoint
CREATE TABLE "regime_labels" (
	"feed" text NOT NULL,
	"config_hash" text NOT NULL,
	"date" date NOT NULL,
	"regime" text NOT NULL,
	"vix" double precision NOT NULL,
	"drawdown" double precision NOT NULL,
	CONSTRAINT "regime_labels_feed_config_hash_date_pk" PRIMARY KEY("feed","config_hash","date")
);
--> statement-breakpoint
CREATE TABLE "run_steps" (
	"run_id" text NOT NULL,
	"step" text NOT NULL,
	"status" text NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"summary" jsonb,
	"error" text,
	CONSTRAINT "run_steps_run_id_step_pk" PRIMARY KEY("run_id","step")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" text PRIMARY KEY NOT NULL,
	"workflow_id" text NOT NULL,
	"trigger" text NOT NULL,
	"as_of" date NOT NULL,
	"tasks" jsonb NOT NULL,
	"input" jsonb NOT NULL,
	"status" text NOT NULL,
	"stage" text DEFAULT 'starting' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text,
	"error_type" text,
	"summary" jsonb
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_decisions" ADD CONSTRAINT "promotion_decisions_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_steps" ADD CONSTRAINT "run_steps_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "datasets_run_task" ON "datasets" USING btree ("run_id","task");--> statement-breakpoint
CREATE INDEX "market_bars_feed_date" ON "market_bars" USING btree ("feed","date");--> statement-breakpoint
CREATE INDEX "models_run" ON "models" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "models_task_kind" ON "models" USING btree ("task","kind");--> statement-breakpoint
CREATE INDEX "runs_workflow_id" ON "runs" USING btree ("workflow_id");--> statement-breakpoint
CREATE INDEX "runs_as_of" ON "runs" USING btree ("as_of");