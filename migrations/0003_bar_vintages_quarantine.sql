CREATE TABLE "bar_vintages" (
	"id" serial PRIMARY KEY NOT NULL,
	"feed" text NOT NULL,
	"kind" text NOT NULL,
	"detail" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
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
ALTER TABLE "market_bars" ADD COLUMN "vintage" integer DEFAULT 0 NOT NULL;