CREATE TABLE "bar_vintages" (
	"id" serial PRIMARY KEY NOT NULL,
	"feed" text NOT NULL,
	"kind" text NOT NULL,
	"detail" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "candidate_trials" (
	"task" text NOT NULL,
	"feed" text NOT NULL,
	"candidate_hash" text NOT NULL,
	"kind" text NOT NULL,
	"sharpe" double precision,
	"first_run_id" text NOT NULL,
	"last_run_id" text NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "candidate_trials_task_feed_candidate_hash_pk" PRIMARY KEY("task","feed","candidate_hash")
);
--> statement-breakpoint
CREATE TABLE "cash_rates" (
	"feed" text NOT NULL,
	"date" date NOT NULL,
	"series_id" text NOT NULL,
	"rate_pct" double precision,
	"file" text NOT NULL,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cash_rates_feed_date_pk" PRIMARY KEY("feed","date")
);
--> statement-breakpoint
CREATE TABLE "dataset_chunks" (
	"dataset_id" text NOT NULL,
	"seq" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "dataset_chunks_dataset_id_seq_pk" PRIMARY KEY("dataset_id","seq")
);
--> statement-breakpoint
CREATE TABLE "fold_results" (
	"key" text PRIMARY KEY NOT NULL,
	"task" text NOT NULL,
	"feed" text NOT NULL,
	"kind" text NOT NULL,
	"candidate_hash" text NOT NULL,
	"train_from" date NOT NULL,
	"train_to" date NOT NULL,
	"test_from" date,
	"test_to" date,
	"test_rows_hash" text,
	"artifact" "bytea" NOT NULL,
	"proba" "bytea",
	"summary" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "market_bars_history" (
	"feed" text NOT NULL,
	"symbol" text NOT NULL,
	"date" date NOT NULL,
	"vintage" integer NOT NULL,
	"superseded_by" integer NOT NULL,
	"open" double precision,
	"high" double precision NOT NULL,
	"low" double precision NOT NULL,
	"close" double precision NOT NULL,
	"adj_close" double precision,
	"volume" double precision,
	"ingested_at" timestamp with time zone NOT NULL,
	CONSTRAINT "market_bars_history_feed_symbol_date_vintage_pk" PRIMARY KEY("feed","symbol","date","vintage")
);
--> statement-breakpoint
CREATE TABLE "quarantined_bars" (
	"feed" text NOT NULL,
	"symbol" text NOT NULL,
	"date" date NOT NULL,
	"file" text NOT NULL,
	"row" integer NOT NULL,
	"field" text NOT NULL,
	"reason" text NOT NULL,
	"raw" jsonb NOT NULL,
	"quarantined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quarantined_bars_feed_symbol_date_pk" PRIMARY KEY("feed","symbol","date")
);
--> statement-breakpoint
ALTER TABLE "model_aliases" DROP CONSTRAINT "model_aliases_task_alias_pk";--> statement-breakpoint
ALTER TABLE "alias_events" ADD COLUMN "feed" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "alias_events" ADD COLUMN "lineage" text DEFAULT 'live' NOT NULL;--> statement-breakpoint
ALTER TABLE "alias_events" ADD COLUMN "effective_from" date;--> statement-breakpoint
ALTER TABLE "drift" ADD COLUMN "threshold" double precision;--> statement-breakpoint
ALTER TABLE "drift" ADD COLUMN "status" text DEFAULT 'ok' NOT NULL;--> statement-breakpoint
ALTER TABLE "market_bars" ADD COLUMN "vintage" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD COLUMN "feed" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD COLUMN "lineage" text DEFAULT 'live' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD COLUMN "effective_from" date;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "feed" text;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "role" text DEFAULT 'candidate' NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "candidate_hash" text;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "as_of" date;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "trained_from" date;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "trained_through" date;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_task_feed_lineage_alias_pk" PRIMARY KEY("task","feed","lineage","alias");--> statement-breakpoint
-- Existing registry rows: the feed comes from the model's dataset, the as-of from its run.
UPDATE "models" m SET "feed" = d."feed", "as_of" = d."as_of" FROM "datasets" d WHERE d."id" = m."dataset_id";--> statement-breakpoint
UPDATE "model_aliases" a SET "feed" = m."feed", "effective_from" = m."as_of" FROM "models" m WHERE m."id" = a."model_id" AND m."feed" IS NOT NULL;--> statement-breakpoint
UPDATE "alias_events" e SET "feed" = m."feed", "effective_from" = m."as_of" FROM "models" m WHERE m."id" = e."model_id" AND m."feed" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "promotion_decisions" ADD COLUMN "lineage" text DEFAULT 'live' NOT NULL;--> statement-breakpoint
ALTER TABLE "promotion_decisions" ADD COLUMN "verdict" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "promotion_decisions" ADD COLUMN "stats" jsonb;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "lineage" text DEFAULT 'live' NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_chunks" ADD CONSTRAINT "dataset_chunks_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fold_results_task_feed" ON "fold_results" USING btree ("task","feed","candidate_hash");--> statement-breakpoint
CREATE INDEX "alias_events_lookup" ON "alias_events" USING btree ("task","feed","lineage","alias");