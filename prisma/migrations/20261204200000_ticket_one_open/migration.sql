-- A test has at most one ticket being worked on (open or investigating). Before this index an
-- auto-quarantine opened a ticket even when one had been opened by hand, so a database may hold
-- two: all but the newest are closed as duplicates (wontfix, with a note naming the one kept), so
-- no ticket disappears.
WITH ranked AS (
  SELECT "id", "testId",
         first_value("id") OVER (PARTITION BY "testId" ORDER BY "createdAt" DESC, "id" DESC) AS "keptId",
         row_number() OVER (PARTITION BY "testId" ORDER BY "createdAt" DESC, "id" DESC) AS "n"
  FROM "tickets"
  WHERE "status" IN ('open', 'investigating')
)
UPDATE "tickets" t
SET "status" = 'wontfix',
    "notes" = CASE WHEN t."notes" = '' THEN '' ELSE t."notes" || E'\n\n' END || 'Closed as a duplicate of ticket ' || r."keptId" || ' when Steward began allowing one open ticket per test.',
    "updatedAt" = now()
FROM ranked r
WHERE t."id" = r."id" AND r."n" > 1;

CREATE UNIQUE INDEX "tickets_one_open_per_test" ON "tickets"("testId") WHERE "status" IN ('open', 'investigating');
