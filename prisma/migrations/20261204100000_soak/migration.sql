-- Soak-test analysis (issue 11, part 2): soak runs with their leak fit and success criteria, one
-- row per resource sample (numeric columns, units normalised), E2E pipeline runs from events.jsonl,
-- and chaos uploads with one row per scenario. Projects are shared with flaky tests and perf.

CREATE TABLE "soak_runs" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "runKey" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "branch" TEXT,
    "commit" TEXT,
    "ciUrl" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "actorLabel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "leakVerdict" TEXT NOT NULL,
    "leakSource" TEXT NOT NULL,
    "leakReason" TEXT NOT NULL,
    "slopeMbPerHour" DOUBLE PRECISION,
    "slopeLower" DOUBLE PRECISION,
    "slopeUpper" DOUBLE PRECISION,
    "interceptMb" DOUBLE PRECISION,
    "fitFrom" TIMESTAMPTZ(3),
    "fitTo" TIMESTAMPTZ(3),
    "troughSlope" DOUBLE PRECISION,
    "stepAt" TIMESTAMPTZ(3),
    "stepMb" DOUBLE PRECISION,
    "durationHours" DOUBLE PRECISION,
    "sampleCount" INTEGER NOT NULL,
    "securityCritical" INTEGER,
    "securityHigh" INTEGER,
    "securityMedium" INTEGER,
    "securityLow" INTEGER,
    "securityUnrated" INTEGER,
    "auditFindings" JSONB NOT NULL DEFAULT '[]',
    "settings" JSONB NOT NULL DEFAULT '{}',
    "stats" JSONB NOT NULL DEFAULT '{}',
    "files" JSONB NOT NULL DEFAULT '[]',
    CONSTRAINT "soak_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "soak_runs_status_check" CHECK ("status" IN ('pass', 'fail', 'unknown')),
    CONSTRAINT "soak_runs_leak_check" CHECK ("leakVerdict" IN ('leak', 'no-leak', 'inconclusive')),
    CONSTRAINT "soak_runs_leak_source_check" CHECK ("leakSource" IN ('fit', 'reported', 'none')),
    CONSTRAINT "soak_runs_interval_check" CHECK ("slopeMbPerHour" IS NULL OR ("slopeLower" <= "slopeMbPerHour" AND "slopeMbPerHour" <= "slopeUpper")),
    CONSTRAINT "soak_runs_times_check" CHECK ("endedAt" IS NULL OR "endedAt" >= "startedAt"),
    CONSTRAINT "soak_runs_counts_check" CHECK ("sampleCount" >= 0 AND ("durationHours" IS NULL OR "durationHours" >= 0)
        AND coalesce("securityCritical", 0) >= 0 AND coalesce("securityHigh", 0) >= 0 AND coalesce("securityMedium", 0) >= 0
        AND coalesce("securityLow", 0) >= 0 AND coalesce("securityUnrated", 0) >= 0),
    CONSTRAINT "soak_runs_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "soak_runs_projectId_runKey_key" ON "soak_runs"("projectId", "runKey");
CREATE INDEX "soak_runs_projectId_startedAt_idx" ON "soak_runs"("projectId", "startedAt");
CREATE INDEX "soak_runs_receivedAt_idx" ON "soak_runs"("receivedAt");

CREATE TABLE "soak_samples" (
    "runId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "t" TIMESTAMPTZ(3) NOT NULL,
    "rssMb" DOUBLE PRECISION,
    "cpuPct" DOUBLE PRECISION,
    "openFds" INTEGER,
    "threads" INTEGER,
    "reconnects" BIGINT,
    "zombies" INTEGER,
    "diskMb" DOUBLE PRECISION,
    CONSTRAINT "soak_samples_pkey" PRIMARY KEY ("runId", "seq"),
    CONSTRAINT "soak_samples_nonnegative_check" CHECK ("seq" >= 0 AND coalesce("rssMb", 0) >= 0 AND coalesce("cpuPct", 0) >= 0 AND coalesce("openFds", 0) >= 0
        AND coalesce("threads", 0) >= 0 AND coalesce("reconnects", 0) >= 0 AND coalesce("zombies", 0) >= 0 AND coalesce("diskMb", 0) >= 0),
    CONSTRAINT "soak_samples_runId_fkey" FOREIGN KEY ("runId") REFERENCES "soak_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "soak_criteria" (
    "runId" TEXT NOT NULL,
    "criterion" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "unit" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "detail" TEXT NOT NULL,
    CONSTRAINT "soak_criteria_pkey" PRIMARY KEY ("runId", "criterion"),
    CONSTRAINT "soak_criteria_criterion_check" CHECK ("criterion" IN ('duration', 'memory_growth', 'avg_cpu', 'disk', 'ws_reconnects', 'orphan_orders', 'zombies', 'crashes', 'security')),
    CONSTRAINT "soak_criteria_status_check" CHECK ("status" IN ('pass', 'fail', 'unknown')),
    -- A pass or fail states what was measured; the one exception is a producer's own
    -- `memory_leak_detected` flag without a growth figure (resources.analysis.json only).
    CONSTRAINT "soak_criteria_value_check" CHECK ("status" = 'unknown' OR "value" IS NOT NULL OR "criterion" = 'memory_growth'),
    CONSTRAINT "soak_criteria_runId_fkey" FOREIGN KEY ("runId") REFERENCES "soak_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "soak_criteria_criterion_status_idx" ON "soak_criteria"("criterion", "status");

CREATE TABLE "e2e_runs" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "pipeline" TEXT NOT NULL,
    "externalId" TEXT,
    "runKey" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSuccessfulStep" TEXT,
    "failingStep" TEXT,
    "error" TEXT,
    "stepCount" INTEGER NOT NULL,
    "okSteps" INTEGER NOT NULL,
    "steps" JSONB NOT NULL DEFAULT '[]',
    "branch" TEXT,
    "commit" TEXT,
    "ciUrl" TEXT,
    "actorLabel" TEXT NOT NULL,
    CONSTRAINT "e2e_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "e2e_runs_outcome_check" CHECK ("outcome" IN ('pass', 'fail', 'incomplete')),
    CONSTRAINT "e2e_runs_failing_check" CHECK (("outcome" = 'pass') = ("failingStep" IS NULL)),
    CONSTRAINT "e2e_runs_steps_check" CHECK ("okSteps" >= 0 AND "okSteps" <= "stepCount"),
    CONSTRAINT "e2e_runs_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "e2e_runs_projectId_runKey_key" ON "e2e_runs"("projectId", "runKey");
CREATE INDEX "e2e_runs_projectId_pipeline_startedAt_idx" ON "e2e_runs"("projectId", "pipeline", "startedAt");

CREATE TABLE "chaos_runs" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "runKey" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "tag" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "branch" TEXT,
    "commit" TEXT,
    "ciUrl" TEXT,
    "actorLabel" TEXT NOT NULL,
    CONSTRAINT "chaos_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "chaos_runs_format_check" CHECK ("format" IN ('json', 'junit')),
    CONSTRAINT "chaos_runs_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "chaos_runs_projectId_runKey_key" ON "chaos_runs"("projectId", "runKey");
CREATE INDEX "chaos_runs_projectId_at_idx" ON "chaos_runs"("projectId", "at");

CREATE TABLE "chaos_results" (
    "runId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "scenario" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL,
    "passed" INTEGER NOT NULL,
    "recoveryMs" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "recoveryMedianMs" DOUBLE PRECISION,
    "recoveryMaxMs" DOUBLE PRECISION,
    CONSTRAINT "chaos_results_pkey" PRIMARY KEY ("runId", "scenario"),
    CONSTRAINT "chaos_results_counts_check" CHECK ("attempts" > 0 AND "passed" >= 0 AND "passed" <= "attempts"),
    CONSTRAINT "chaos_results_recovery_check" CHECK (coalesce("recoveryMedianMs", 0) >= 0 AND coalesce("recoveryMaxMs", 0) >= coalesce("recoveryMedianMs", 0)),
    CONSTRAINT "chaos_results_runId_fkey" FOREIGN KEY ("runId") REFERENCES "chaos_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "chaos_results_projectId_scenario_at_idx" ON "chaos_results"("projectId", "scenario", "at");
