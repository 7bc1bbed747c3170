-- Shards: slices of a run's scoring jobs, processed in parallel by workers (apps/api/src/worker/shards.ts).

-- AlterTable
ALTER TABLE "run" ADD COLUMN "eta_seconds" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "run_shard" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "stage" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "dataset_id" UUID NOT NULL,
    "temperature" DOUBLE PRECISION NOT NULL,
    "epsilons" DOUBLE PRECISION[],
    "start" INTEGER NOT NULL,
    "stop" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "lease" UUID,
    "worker_id" TEXT,
    "done" INTEGER NOT NULL DEFAULT 0,
    "images_per_second" DOUBLE PRECISION,
    "heartbeat_at" TIMESTAMPTZ(3),

    CONSTRAINT "run_shard_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "run_shard_run_id_job_start_key" ON "run_shard"("run_id", "job", "start");

-- AddForeignKey
ALTER TABLE "run_shard" ADD CONSTRAINT "run_shard_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
