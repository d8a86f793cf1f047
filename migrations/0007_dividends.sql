ALTER TABLE "market_bars" ADD COLUMN "dividend" double precision;--> statement-breakpoint
ALTER TABLE "market_bars_history" ADD COLUMN "dividend" double precision;