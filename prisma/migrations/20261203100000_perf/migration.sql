-- Performance budgets and baselines (issue 10): testbeds, metrics, runs, per-metric results with
-- their verdicts, budgets per profile, immutable versioned baselines with a movable head, and
-- regressions. Projects are shared with the flaky-tests capability.

CREATE TABLE "perf_testbeds" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "attrs" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "perf_testbeds_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "perf_testbeds_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "perf_testbeds_projectId_fingerprint_key" ON "perf_testbeds"("projectId", "fingerprint");

CREATE TABLE "perf_metrics" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "measure" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "perf_metrics_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "perf_metrics_direction_check" CHECK ("direction" IN ('smaller', 'bigger')),
    CONSTRAINT "perf_metrics_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "perf_metrics_projectId_name_measure_key" ON "perf_metrics"("projectId", "name", "measure");

CREATE TABLE "perf_runs" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "testbedId" TEXT NOT NULL,
    "profile" TEXT NOT NULL,
    "branch" TEXT,
    "baseBranch" TEXT NOT NULL,
    "commit" TEXT,
    "ciRunId" TEXT,
    "ciUrl" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "actorLabel" TEXT NOT NULL,
    "files" JSONB NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    CONSTRAINT "perf_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "perf_runs_status_check" CHECK ("status" IN ('pass', 'warn', 'fail')),
    CONSTRAINT "perf_runs_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "perf_runs_testbedId_fkey" FOREIGN KEY ("testbedId") REFERENCES "perf_testbeds"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "perf_runs_projectId_dedupeKey_key" ON "perf_runs"("projectId", "dedupeKey");
CREATE INDEX "perf_runs_projectId_at_idx" ON "perf_runs"("projectId", "at");

CREATE TABLE "perf_results" (
    "id" BIGSERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "metricId" TEXT NOT NULL,
    "testbedId" TEXT NOT NULL,
    "branch" TEXT,
    "profile" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "valueKind" TEXT NOT NULL,
    "n" INTEGER,
    "min" DOUBLE PRECISION,
    "max" DOUBLE PRECISION,
    "mean" DOUBLE PRECISION,
    "median" DOUBLE PRECISION,
    "stddev" DOUBLE PRECISION,
    "samples" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "budget" DOUBLE PRECISION,
    "budgetStatus" TEXT,
    "baselineId" TEXT,
    "regression" TEXT,
    "worsePct" DOUBLE PRECISION,
    "pValue" DOUBLE PRECISION,
    "noiseFloorPct" DOUBLE PRECISION,
    "reason" TEXT,
    CONSTRAINT "perf_results_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "perf_results_runId_fkey" FOREIGN KEY ("runId") REFERENCES "perf_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "perf_results_metricId_fkey" FOREIGN KEY ("metricId") REFERENCES "perf_metrics"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "perf_results_runId_metricId_key" ON "perf_results"("runId", "metricId");
CREATE INDEX "perf_results_metricId_testbedId_branch_at_idx" ON "perf_results"("metricId", "testbedId", "branch", "at");

CREATE TABLE "perf_budgets" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "measure" TEXT NOT NULL,
    "profile" TEXT NOT NULL,
    "limit" DOUBLE PRECISION NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,
    CONSTRAINT "perf_budgets_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "perf_budgets_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "perf_budgets_projectId_metric_measure_profile_key" ON "perf_budgets"("projectId", "metric", "measure", "profile");

CREATE TABLE "perf_baselines" (
    "id" TEXT NOT NULL,
    "metricId" TEXT NOT NULL,
    "testbedId" TEXT NOT NULL,
    "branch" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "samples" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "history" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "runId" TEXT,
    "firstCommit" TEXT,
    "lastCommit" TEXT,
    "note" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "perf_baselines_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "perf_baselines_metricId_fkey" FOREIGN KEY ("metricId") REFERENCES "perf_metrics"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "perf_baselines_metricId_testbedId_branch_version_key" ON "perf_baselines"("metricId", "testbedId", "branch", "version");

-- Which version is current for (metric, testbed, branch). Rollback re-points it; `version` is the
-- compare-and-set counter, so two operators never both move it.
CREATE TABLE "perf_baseline_heads" (
    "metricId" TEXT NOT NULL,
    "testbedId" TEXT NOT NULL,
    "branch" TEXT NOT NULL,
    "baselineId" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,
    CONSTRAINT "perf_baseline_heads_pkey" PRIMARY KEY ("metricId", "testbedId", "branch"),
    CONSTRAINT "perf_baseline_heads_baselineId_fkey" FOREIGN KEY ("baselineId") REFERENCES "perf_baselines"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "perf_regressions" (
    "id" TEXT NOT NULL,
    "metricId" TEXT NOT NULL,
    "testbedId" TEXT NOT NULL,
    "branch" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "openedRunId" TEXT NOT NULL,
    "lastRunId" TEXT NOT NULL,
    "worsePct" DOUBLE PRECISION NOT NULL,
    "openedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "closedAt" TIMESTAMPTZ(3),
    "note" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "perf_regressions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "perf_regressions_status_check" CHECK ("status" IN ('open', 'acknowledged', 'fixed')),
    CONSTRAINT "perf_regressions_metricId_fkey" FOREIGN KEY ("metricId") REFERENCES "perf_metrics"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "perf_regressions_metricId_testbedId_branch_status_idx" ON "perf_regressions"("metricId", "testbedId", "branch", "status");
