-- CreateEnum
CREATE TYPE "DatasetKind" AS ENUM ('UPLOADED', 'SYNTHETIC', 'BUILTIN');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "Backend" AS ENUM ('CPU', 'CUDA', 'WEBGPU');

-- CreateTable
CREATE TABLE "upload" (
    "id" UUID NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "filename" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "upload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "sha256" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "input_name" TEXT NOT NULL,
    "input_shape" INTEGER[],
    "layout" TEXT NOT NULL,
    "output_name" TEXT NOT NULL,
    "num_classes" INTEGER NOT NULL,
    "labels" TEXT[],
    "mean" DOUBLE PRECISION[],
    "std" DOUBLE PRECISION[],
    "input_size" INTEGER[],
    "opset" INTEGER NOT NULL,
    "op_histogram" JSONB NOT NULL,
    "parameter_count" BIGINT NOT NULL,
    "odin_compiles" BOOLEAN NOT NULL,
    "odin_error" TEXT,
    "odin_sha256" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "DatasetKind" NOT NULL,
    "format" TEXT NOT NULL,
    "item_count" INTEGER NOT NULL,
    "item_shape" INTEGER[],
    "source_spec" TEXT NOT NULL,
    "sha256" TEXT,
    "labels" TEXT[],
    "rejected" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run" (
    "id" UUID NOT NULL,
    "model_id" UUID NOT NULL,
    "in_dataset_id" UUID NOT NULL,
    "settings" JSONB NOT NULL,
    "backend" "Backend" NOT NULL,
    "batch_size" INTEGER NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "phase" TEXT,
    "images_per_second" DOUBLE PRECISION,
    "accuracy" DOUBLE PRECISION,
    "error" TEXT,
    "worker_id" TEXT,
    "heartbeat_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_out_dataset" (
    "run_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "dataset_id" UUID NOT NULL,

    CONSTRAINT "run_out_dataset_pkey" PRIMARY KEY ("run_id","position")
);

-- CreateTable
CREATE TABLE "run_result" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "out_dataset_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "n_in" INTEGER NOT NULL,
    "n_out" INTEGER NOT NULL,
    "temperature" DOUBLE PRECISION NOT NULL,
    "epsilon" DOUBLE PRECISION NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "baseline_threshold" DOUBLE PRECISION NOT NULL,
    "baseline" JSONB NOT NULL,
    "odin" JSONB NOT NULL,
    "curves" JSONB NOT NULL,
    "histograms" JSONB NOT NULL,
    "grid" JSONB,

    CONSTRAINT "run_result_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "score_batch" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "job" TEXT NOT NULL,
    "dataset_id" UUID NOT NULL,
    "phase" TEXT NOT NULL,
    "temperature" DOUBLE PRECISION NOT NULL,
    "epsilons" DOUBLE PRECISION[],
    "start" INTEGER NOT NULL,
    "next" INTEGER NOT NULL,
    "ids" TEXT[],
    "indices" INTEGER[],
    "labels" INTEGER[],
    "prediction" INTEGER[],
    "msp" BYTEA NOT NULL,
    "energy" BYTEA NOT NULL,
    "odin" BYTEA NOT NULL,
    "skipped" JSONB NOT NULL,

    CONSTRAINT "score_batch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "upload_sha256_idx" ON "upload"("sha256");

-- CreateIndex
CREATE INDEX "model_created_at_idx" ON "model"("created_at");

-- CreateIndex
CREATE INDEX "dataset_kind_created_at_idx" ON "dataset"("kind", "created_at");

-- CreateIndex
CREATE INDEX "run_status_created_at_idx" ON "run"("status", "created_at");

-- CreateIndex
CREATE INDEX "run_model_id_created_at_idx" ON "run"("model_id", "created_at");

-- CreateIndex
CREATE INDEX "run_in_dataset_id_created_at_idx" ON "run"("in_dataset_id", "created_at");

-- CreateIndex
CREATE INDEX "run_created_at_idx" ON "run"("created_at");

-- CreateIndex
CREATE INDEX "run_out_dataset_dataset_id_idx" ON "run_out_dataset"("dataset_id");

-- CreateIndex
CREATE UNIQUE INDEX "run_out_dataset_run_id_dataset_id_key" ON "run_out_dataset"("run_id", "dataset_id");

-- CreateIndex
CREATE INDEX "run_result_out_dataset_id_idx" ON "run_result"("out_dataset_id");

-- CreateIndex
CREATE UNIQUE INDEX "run_result_run_id_out_dataset_id_key" ON "run_result"("run_id", "out_dataset_id");

-- CreateIndex
CREATE UNIQUE INDEX "score_batch_run_id_job_start_key" ON "score_batch"("run_id", "job", "start");

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_in_dataset_id_fkey" FOREIGN KEY ("in_dataset_id") REFERENCES "dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_out_dataset" ADD CONSTRAINT "run_out_dataset_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_out_dataset" ADD CONSTRAINT "run_out_dataset_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_result" ADD CONSTRAINT "run_result_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_result" ADD CONSTRAINT "run_result_out_dataset_id_fkey" FOREIGN KEY ("out_dataset_id") REFERENCES "dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "score_batch" ADD CONSTRAINT "score_batch_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
