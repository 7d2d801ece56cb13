-- Flaky tests and quarantine (issue 9): projects, tests, uploads, results, daily aggregates,
-- each test's timeline and investigation tickets. API tokens may be limited to some projects.
ALTER TABLE "api_tokens" ADD COLUMN "projects" TEXT[] DEFAULT ARRAY[]::TEXT[];

CREATE TABLE "projects" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "policy" JSONB NOT NULL DEFAULT '{}',
    "codeowners" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "projects_key_key" ON "projects"("key");

CREATE TABLE "tests" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "suite" TEXT NOT NULL,
    "classname" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "file" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "quarantinedAt" TIMESTAMPTZ(3),
    "quarantineReason" TEXT,
    "quarantinedBy" TEXT,
    "quarantineExpires" TIMESTAMPTZ(3),
    "releasedAt" TIMESTAMPTZ(3),
    "pinned" TEXT,
    "broken" BOOLEAN NOT NULL DEFAULT false,
    "brokenSince" TIMESTAMPTZ(3),
    "greenStreak" INTEGER NOT NULL DEFAULT 0,
    "eligibleAt" TIMESTAMPTZ(3),
    "lastFlakeAt" TIMESTAMPTZ(3),
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "tests_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tests_status_check" CHECK ("status" IN ('active', 'quarantined')),
    CONSTRAINT "tests_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "tests_projectId_key_key" ON "tests"("projectId", "key");
CREATE INDEX "tests_projectId_status_idx" ON "tests"("projectId", "status");

CREATE TABLE "test_uploads" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "producer" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "commit" TEXT,
    "branch" TEXT,
    "runId" TEXT,
    "runUrl" TEXT,
    "job" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "variant" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "uploadedBy" TEXT NOT NULL,
    "tests" INTEGER NOT NULL,
    "passed" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "skipped" INTEGER NOT NULL,
    "flaky" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "infra" BOOLEAN NOT NULL DEFAULT false,
    "warnings" JSONB NOT NULL DEFAULT '[]',
    "raw" BYTEA,
    "rawExpiresAt" TIMESTAMPTZ(3),
    CONSTRAINT "test_uploads_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "test_uploads_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "test_uploads_projectId_dedupeKey_key" ON "test_uploads"("projectId", "dedupeKey");
CREATE INDEX "test_uploads_projectId_receivedAt_idx" ON "test_uploads"("projectId", "receivedAt");

CREATE TABLE "test_results" (
    "id" BIGSERIAL NOT NULL,
    "projectId" TEXT NOT NULL,
    "testId" TEXT NOT NULL,
    "uploadId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "commit" TEXT,
    "branch" TEXT,
    "variant" TEXT,
    "runKey" TEXT,
    "outcome" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "failedAttempts" INTEGER NOT NULL,
    "durationMs" INTEGER,
    "retryMs" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "infra" BOOLEAN NOT NULL DEFAULT false,
    "synthetic" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "test_results_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "test_results_outcome_check" CHECK ("outcome" IN ('passed', 'failed', 'error', 'skipped', 'flaky')),
    CONSTRAINT "test_results_testId_fkey" FOREIGN KEY ("testId") REFERENCES "tests"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "test_results_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "test_uploads"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "test_results_testId_at_idx" ON "test_results"("testId", "at");
CREATE INDEX "test_results_projectId_at_idx" ON "test_results"("projectId", "at");
CREATE INDEX "test_results_uploadId_idx" ON "test_results"("uploadId");

CREATE TABLE "test_daily_stats" (
    "projectId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "results" INTEGER NOT NULL DEFAULT 0,
    "passed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "flaky" INTEGER NOT NULL DEFAULT 0,
    "retryMs" BIGINT NOT NULL DEFAULT 0,
    "infra" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "test_daily_stats_pkey" PRIMARY KEY ("projectId", "day"),
    CONSTRAINT "test_daily_stats_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "test_events" (
    "id" BIGSERIAL NOT NULL,
    "testId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "actorType" TEXT NOT NULL,
    "actorLabel" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    CONSTRAINT "test_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "test_events_testId_fkey" FOREIGN KEY ("testId") REFERENCES "tests"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "test_events_testId_at_idx" ON "test_events"("testId", "at");

CREATE TABLE "tickets" (
    "id" TEXT NOT NULL,
    "testId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "owner" TEXT,
    "notes" TEXT NOT NULL DEFAULT '',
    "links" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "tickets_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tickets_status_check" CHECK ("status" IN ('open', 'investigating', 'fixed', 'wontfix')),
    CONSTRAINT "tickets_testId_fkey" FOREIGN KEY ("testId") REFERENCES "tests"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "tickets_testId_createdAt_idx" ON "tickets"("testId", "createdAt");
