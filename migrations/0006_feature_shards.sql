CREATE TABLE "feature_shard_chunks" (
	"run_id" text NOT NULL,
	"task" text NOT NULL,
	"shard" integer NOT NULL,
	"seq" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "feature_shard_chunks_run_id_task_shard_seq_pk" PRIMARY KEY("run_id","task","shard","seq")
);
--> statement-breakpoint
CREATE TABLE "feature_shards" (
	"run_id" text NOT NULL,
	"task" text NOT NULL,
	"shard" integer NOT NULL,
	"symbols" jsonb NOT NULL,
	"built_at" timestamp with time zone,
	"vintage" integer,
	CONSTRAINT "feature_shards_run_id_task_shard_pk" PRIMARY KEY("run_id","task","shard")
);
--> statement-breakpoint
ALTER TABLE "feature_shard_chunks" ADD CONSTRAINT "feature_shard_chunks_run_id_task_shard_feature_shards_run_id_task_shard_fk" FOREIGN KEY ("run_id","task","shard") REFERENCES "public"."feature_shards"("run_id","task","shard") ON DELETE cascade ON UPDATE no action;