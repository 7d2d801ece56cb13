-- The project page's flaky leaderboard is kept rather than recomputed on every view
-- (lib/services/flaky/leaderboard-cache.ts). A project's results version moves with every write
-- of its results; a stored leaderboard is served only while its version is the current one.
CREATE TABLE "test_results_versions" (
    "projectId" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "test_results_versions_pkey" PRIMARY KEY ("projectId"),
    CONSTRAINT "test_results_versions_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "flaky_leaderboards" (
    "projectId" TEXT NOT NULL,
    "days" INTEGER NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "version" BIGINT NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL,
    "rows" JSONB NOT NULL,
    CONSTRAINT "flaky_leaderboards_pkey" PRIMARY KEY ("projectId", "days"),
    CONSTRAINT "flaky_leaderboards_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
