-- Notifications (issue 9's platform piece, reused by cron, perf and disk alerts): channels with
-- their sealed secret, routing rules per project and event kind, and the delivery outbox/log.
CREATE TABLE "notification_channels" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "secret" TEXT,
    "secretHint" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_channels_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notification_channels_type_check" CHECK ("type" IN ('webhook', 'slack', 'email'))
);
CREATE UNIQUE INDEX "notification_channels_name_key" ON "notification_channels"("name");

CREATE TABLE "notification_rules" (
    "id" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "projectKey" TEXT,
    "kinds" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_rules_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notification_rules_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "notification_rules_channelId_idx" ON "notification_rules"("channelId");

-- The outbox: rows are written in the same transaction as the state change they announce, and
-- the notifications-deliver job claims due ones (FOR UPDATE SKIP LOCKED + a lease token).
CREATE TABLE "notification_deliveries" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "projectKey" TEXT,
    "payload" JSONB NOT NULL,
    "channelId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "lastAttemptAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "lastStatusCode" INTEGER,
    "deliveredAt" TIMESTAMPTZ(3),
    "claimToken" TEXT,
    "claimExpiresAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notification_deliveries_status_check" CHECK ("status" IN ('pending', 'sending', 'delivered', 'failed', 'dead')),
    CONSTRAINT "notification_deliveries_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "notification_deliveries_eventId_channelId_key" ON "notification_deliveries"("eventId", "channelId");
CREATE INDEX "notification_deliveries_status_nextAttemptAt_idx" ON "notification_deliveries"("status", "nextAttemptAt");
CREATE INDEX "notification_deliveries_channelId_createdAt_idx" ON "notification_deliveries"("channelId", "createdAt");
CREATE INDEX "notification_deliveries_createdAt_idx" ON "notification_deliveries"("createdAt");
