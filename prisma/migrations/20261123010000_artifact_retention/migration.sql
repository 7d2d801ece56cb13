-- Artifact retention: roots with policies, stored plans (the plan entries double as the execution
-- journal), rotation runs and disk-usage samples.

CREATE TABLE "artifact_roots" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "policy" JSONB NOT NULL,
    "policyVersion" INTEGER NOT NULL DEFAULT 1,
    "presetId" TEXT,
    "schedule" TEXT,
    "scheduleMode" TEXT NOT NULL DEFAULT 'approve',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "writeRotationLog" BOOLEAN NOT NULL DEFAULT true,
    "executingPlanId" TEXT,
    "executionToken" TEXT,
    "executionHeartbeat" TIMESTAMPTZ(3),
    "scheduledFailures" INTEGER NOT NULL DEFAULT 0,
    "lastScheduledError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "artifact_roots_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "artifact_roots_name_key" ON "artifact_roots"("name");
CREATE UNIQUE INDEX "artifact_roots_path_key" ON "artifact_roots"("path");

CREATE TABLE "retention_plans" (
    "id" TEXT NOT NULL,
    "rootId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "policyVersion" INTEGER NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "approvedBy" TEXT,
    "approvedAt" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "totals" JSONB NOT NULL,
    "warnings" JSONB NOT NULL,
    "scanErrors" JSONB NOT NULL,
    "error" TEXT,
    CONSTRAINT "retention_plans_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "retention_plans_rootId_createdAt_idx" ON "retention_plans"("rootId", "createdAt");
CREATE INDEX "retention_plans_status_idx" ON "retention_plans"("status");

CREATE TABLE "plan_entries" (
    "id" BIGSERIAL NOT NULL,
    "planId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "mtimeMs" BIGINT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "bytesFreed" BIGINT NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "outcome" TEXT,
    "doneAt" TIMESTAMPTZ(3),
    CONSTRAINT "plan_entries_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "plan_entries_planId_seq_key" ON "plan_entries"("planId", "seq");
CREATE INDEX "plan_entries_planId_kind_status_idx" ON "plan_entries"("planId", "kind", "status");

CREATE TABLE "rotation_runs" (
    "id" TEXT NOT NULL,
    "rootId" TEXT,
    "planId" TEXT,
    "host" TEXT NOT NULL,
    "rootPath" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "dryRun" BOOLEAN NOT NULL DEFAULT false,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "deleted" INTEGER NOT NULL,
    "kept" INTEGER NOT NULL,
    "compressed" INTEGER NOT NULL,
    "totalReductionKb" DOUBLE PRECISION NOT NULL,
    "sizeMb" DOUBLE PRECISION NOT NULL,
    "withinLimit" BOOLEAN NOT NULL,
    "bytesFreed" BIGINT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "durationMs" INTEGER NOT NULL,
    "approvedBy" TEXT,
    "executedBy" TEXT NOT NULL,
    "details" JSONB,
    CONSTRAINT "rotation_runs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "rotation_runs_rootId_timestamp_idx" ON "rotation_runs"("rootId", "timestamp");
CREATE INDEX "rotation_runs_host_rootPath_timestamp_idx" ON "rotation_runs"("host", "rootPath", "timestamp");

CREATE TABLE "disk_usage_samples" (
    "id" BIGSERIAL NOT NULL,
    "rootId" TEXT,
    "host" TEXT NOT NULL,
    "rootPath" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "rootBytes" BIGINT NOT NULL,
    "fileCount" INTEGER NOT NULL,
    "fsBytes" BIGINT NOT NULL,
    "fsFree" BIGINT NOT NULL,
    CONSTRAINT "disk_usage_samples_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "disk_usage_samples_rootId_at_idx" ON "disk_usage_samples"("rootId", "at");
CREATE INDEX "disk_usage_samples_host_rootPath_at_idx" ON "disk_usage_samples"("host", "rootPath", "at");

ALTER TABLE "retention_plans" ADD CONSTRAINT "retention_plans_rootId_fkey" FOREIGN KEY ("rootId") REFERENCES "artifact_roots"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "plan_entries" ADD CONSTRAINT "plan_entries_planId_fkey" FOREIGN KEY ("planId") REFERENCES "retention_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "rotation_runs" ADD CONSTRAINT "rotation_runs_rootId_fkey" FOREIGN KEY ("rootId") REFERENCES "artifact_roots"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "disk_usage_samples" ADD CONSTRAINT "disk_usage_samples_rootId_fkey" FOREIGN KEY ("rootId") REFERENCES "artifact_roots"("id") ON DELETE CASCADE ON UPDATE CASCADE;
