-- The registry's trials now hold each configuration's active information ratio (daily return over
-- the declared reference), the deflated information ratio's variance. Values written before were
-- Sharpe ratios over cash, a different quantity: they are cleared, the trial itself (its count) stays.
ALTER TABLE "candidate_trials" RENAME COLUMN "sharpe" TO "active_ir";--> statement-breakpoint
UPDATE "candidate_trials" SET "active_ir" = NULL;--> statement-breakpoint
-- Placebo audits say how they made their null: block permutation (before) or circular rotation of
-- the targets by at least min_shift_days (now), and the share of uncorrected p-values <= alpha.
ALTER TABLE "placebo_audits" ADD COLUMN "method" text DEFAULT 'block_permutation' NOT NULL;--> statement-breakpoint
ALTER TABLE "placebo_audits" ADD COLUMN "min_shift_days" integer;--> statement-breakpoint
ALTER TABLE "placebo_audits" ADD COLUMN "share_below_alpha" double precision;--> statement-breakpoint
ALTER TABLE "placebo_audits" ALTER COLUMN "block" DROP NOT NULL;--> statement-breakpoint
-- Rotation audits recorded before this migration stored their minimum shift (>= 252 days) in "block";
-- block permutations used 4 x (lag + horizon) rows, far below that.
UPDATE "placebo_audits" SET "method" = 'rotation', "min_shift_days" = "block", "block" = NULL WHERE "block" >= 252;--> statement-breakpoint
ALTER TABLE "placebo_audits" ALTER COLUMN "method" SET DEFAULT 'rotation';
