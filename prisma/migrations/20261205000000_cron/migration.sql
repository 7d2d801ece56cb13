-- Cron checks (issue 11, part 1): Healthchecks-compatible ping checks and artifact-freshness
-- checks, their pings, their state flips, and the ping keys of /ping/<ping-key>/<slug> URLs.
-- A check's cached state and next deadline live on its row; the alert loop's "what is overdue"
-- is one range scan of the partial index cron_checks_due_idx.

CREATE TABLE "cron_ping_keys" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    CONSTRAINT "cron_ping_keys_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "cron_ping_keys_key_check" CHECK ("key" ~ '^[A-Za-z0-9_-]{22,}$')
);
CREATE UNIQUE INDEX "cron_ping_keys_name_key" ON "cron_ping_keys"("name");
CREATE UNIQUE INDEX "cron_ping_keys_key_key" ON "cron_ping_keys"("key");

CREATE TABLE "cron_checks" (
    "id" TEXT NOT NULL,
    "uuid" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT,
    "pingKeyId" TEXT,
    "type" TEXT NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "scheduleKind" TEXT NOT NULL,
    "periodSeconds" INTEGER,
    "graceSeconds" INTEGER NOT NULL,
    "cronExpression" TEXT,
    "timezone" TEXT,
    "maxRuntimeSeconds" INTEGER,
    "minRuntimeSeconds" INTEGER,
    "failureThreshold" INTEGER NOT NULL DEFAULT 1,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "maintenance" JSONB NOT NULL DEFAULT '[]',
    "artifactRootId" TEXT,
    "artifactPath" TEXT,
    "maxAgeSeconds" INTEGER,
    "source" TEXT,
    "lastFinishAt" TIMESTAMPTZ(3),
    "lastFinishFailed" BOOLEAN NOT NULL DEFAULT false,
    "openStartAt" TIMESTAMPTZ(3),
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "openStarts" JSONB NOT NULL DEFAULT '{}',
    "artifactMtime" TIMESTAMPTZ(3),
    "observedAt" TIMESTAMPTZ(3),
    "freshness" TEXT,
    "state" TEXT NOT NULL DEFAULT 'new',
    "reason" TEXT NOT NULL DEFAULT '',
    "nextChangeAt" TIMESTAMPTZ(3),
    "lastPingAt" TIMESTAMPTZ(3),
    "lastPingKind" TEXT,
    "lastDurationSeconds" DOUBLE PRECISION,
    "downSince" TIMESTAMPTZ(3),
    "pingCount" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "cron_checks_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "cron_checks_type_check" CHECK ("type" IN ('ping', 'freshness')),
    CONSTRAINT "cron_checks_state_check" CHECK ("state" IN ('new', 'up', 'started', 'late', 'down', 'paused')),
    CONSTRAINT "cron_checks_schedule_check" CHECK (
        ("scheduleKind" = 'period' AND "periodSeconds" > 0 AND "cronExpression" IS NULL)
        OR ("scheduleKind" = 'cron' AND "periodSeconds" IS NULL AND "cronExpression" IS NOT NULL AND "timezone" IS NOT NULL)),
    CONSTRAINT "cron_checks_numbers_check" CHECK ("graceSeconds" >= 0 AND "failureThreshold" >= 1 AND "consecutiveFailures" >= 0
        AND coalesce("maxRuntimeSeconds", 1) > 0 AND coalesce("minRuntimeSeconds", 1) > 0 AND coalesce("maxAgeSeconds", 1) > 0),
    CONSTRAINT "cron_checks_last_ping_kind_check" CHECK ("lastPingKind" IS NULL OR "lastPingKind" IN ('success', 'start', 'fail', 'log')),
    CONSTRAINT "cron_checks_freshness_check" CHECK ("freshness" IS NULL OR "freshness" IN ('fresh', 'stale', 'missing', 'future')),
    CONSTRAINT "cron_checks_slug_check" CHECK ("slug" IS NULL OR "slug" ~ '^[a-z0-9][a-z0-9_-]{0,99}$'),
    CONSTRAINT "cron_checks_pingKeyId_fkey" FOREIGN KEY ("pingKeyId") REFERENCES "cron_ping_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "cron_checks_artifactRootId_fkey" FOREIGN KEY ("artifactRootId") REFERENCES "artifact_roots"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "cron_checks_uuid_key" ON "cron_checks"("uuid");
CREATE UNIQUE INDEX "cron_checks_name_key" ON "cron_checks"("name");
CREATE UNIQUE INDEX "cron_checks_pingKeyId_slug_key" ON "cron_checks"("pingKeyId", "slug");
-- The alert loop: WHERE NOT paused AND nextChangeAt <= now ORDER BY nextChangeAt.
CREATE INDEX "cron_checks_due_idx" ON "cron_checks"("nextChangeAt") WHERE NOT "paused";

CREATE TABLE "cron_pings" (
    "id" BIGSERIAL NOT NULL,
    "checkId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "exitStatus" INTEGER,
    "rid" TEXT,
    "method" TEXT NOT NULL,
    "sourceAddress" TEXT,
    "userAgent" TEXT,
    "body" BYTEA,
    "bodyTruncated" BOOLEAN NOT NULL DEFAULT false,
    "durationSeconds" DOUBLE PRECISION,
    "tooFast" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "cron_pings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "cron_pings_kind_check" CHECK ("kind" IN ('success', 'start', 'fail', 'log')),
    CONSTRAINT "cron_pings_exit_status_check" CHECK ("exitStatus" IS NULL OR "exitStatus" BETWEEN 0 AND 255),
    CONSTRAINT "cron_pings_checkId_fkey" FOREIGN KEY ("checkId") REFERENCES "cron_checks"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "cron_pings_checkId_at_idx" ON "cron_pings"("checkId", "at" DESC);

CREATE TABLE "cron_flips" (
    "id" BIGSERIAL NOT NULL,
    "checkId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "eventId" TEXT,
    CONSTRAINT "cron_flips_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "cron_flips_checkId_fkey" FOREIGN KEY ("checkId") REFERENCES "cron_checks"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "cron_flips_checkId_at_idx" ON "cron_flips"("checkId", "at" DESC);
