-- Identity checks for retention execution (issue 7).
-- A root's (device, inode) as registered: a path that later leads to another directory (an
-- ancestor swapped for a symlink) is refused. Doubles: the values JavaScript compares.
ALTER TABLE "artifact_roots" ADD COLUMN "dev" DOUBLE PRECISION;
ALTER TABLE "artifact_roots" ADD COLUMN "ino" DOUBLE PRECISION;

-- Each planned file's inode and change time: a file replaced or rewritten since the plan (same
-- size, mtime restored) is skipped, never acted on.
ALTER TABLE "plan_entries" ADD COLUMN "ino" DOUBLE PRECISION;
ALTER TABLE "plan_entries" ADD COLUMN "ctimeMs" BIGINT;

-- Plans stored before identity was recorded cannot be checked that way: they must be previewed again.
UPDATE "retention_plans" SET "status" = 'invalidated', "error" = 'made before Steward recorded file identities; preview again'
WHERE "status" IN ('draft', 'approved');
