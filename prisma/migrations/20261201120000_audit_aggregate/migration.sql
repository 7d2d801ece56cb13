-- Refused calls are aggregated (lib/services/audit.ts): a denied event carries a "dedupeKey"
-- (actor, action, target, origin slot, time window); a repeat upserts on it, adding 1 to "count"
-- and moving "lastAt", instead of inserting. Every other event keeps count = 1, lastAt and
-- dedupeKey NULL (a unique index allows any number of NULLs).
ALTER TABLE "audit_events" ADD COLUMN "count" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "audit_events" ADD COLUMN "lastAt" TIMESTAMPTZ(3);
ALTER TABLE "audit_events" ADD COLUMN "dedupeKey" TEXT;
CREATE UNIQUE INDEX "audit_events_dedupeKey_key" ON "audit_events"("dedupeKey");
