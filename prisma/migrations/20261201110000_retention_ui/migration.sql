-- Runner reports never speak for a registered root (issue 8, item 3). Until now a report with
-- host "server" and a registered root's path was linked to that root, so an ingest token could
-- forge the root's latest size, failures and bytes freed (a sample dated 9999 stayed latest).

-- Unlink what such reports already stored: their disk samples (same host, path and time as a
-- reported run), samples dated in the future (no scan happens in the future), then the runs.
UPDATE "disk_usage_samples" AS s SET "rootId" = NULL
WHERE s."rootId" IS NOT NULL
  AND (s."at" > now() + interval '5 minutes'
       OR EXISTS (SELECT 1 FROM "rotation_runs" r WHERE r."source" = 'cli' AND r."host" = s."host" AND r."rootPath" = s."rootPath" AND r."timestamp" = s."at"));
UPDATE "disk_usage_samples" SET "rootId" = NULL WHERE "rootId" IS NOT NULL AND "host" <> 'server';
UPDATE "rotation_runs" SET "rootId" = NULL WHERE "rootId" IS NOT NULL AND "source" <> 'server';

-- And from now on by construction: only the server's own runs and scans belong to a root.
ALTER TABLE "rotation_runs" ADD CONSTRAINT "rotation_runs_root_is_server" CHECK ("rootId" IS NULL OR "source" = 'server');
ALTER TABLE "disk_usage_samples" ADD CONSTRAINT "disk_usage_samples_root_is_server" CHECK ("rootId" IS NULL OR "host" = 'server');

-- Natural sort key of each plan entry's path (lib/engine/natural-key.ts), stored at insert: the
-- plan page pages through entries in natural order (ITER_SUMMARY_2 before ITER_SUMMARY_10), and
-- computing the key per row in SQL is too slow for 100,000-entry plans. Rows stored before this
-- column existed have none; the query computes it for them.
ALTER TABLE "plan_entries" ADD COLUMN "sortKey" TEXT;
