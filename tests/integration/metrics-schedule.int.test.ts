// The scheduled-run metrics behind StewardScheduledRunMissed, and the contract between
// lib/services/retention/metrics.ts and what deploy/ ships (rules and dashboard use only real metrics).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allMetricsText } from '@/lib/services/metrics-all';
import { retentionMetrics } from '@/lib/services/retention/metrics';
import { createTestDb, type TestDb } from './helpers';

let h: TestDb;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  await h.db.jobRun.deleteMany();
  await h.db.auditEvent.deleteMany();
  await h.db.artifactRoot.deleteMany();
});

const t = (iso: string) => new Date(iso);
async function root(name: string, schedule: string | null, createdAt: Date) {
  return h.db.artifactRoot.create({
    data: { id: crypto.randomUUID(), name, path: `/srv/${name}`, policy: { rules: [], maxSize: '1MB' }, schedule, timezone: 'UTC', createdAt },
  });
}
const sample = (text: string, name: string, rootName: string) => {
  const m = new RegExp(`^${name}\\{root="${rootName}"\\} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
};
const MISSED = 'steward_retention_schedule_missed_seconds';
const LAST = 'steward_retention_schedule_last_run_timestamp_seconds';

describe('steward_retention_schedule_missed_seconds', () => {
  it('a daily 03:00 slot nobody ran is reported once the 5-minute grace is over', async () => {
    await root('nightly', '0 3 * * *', t('2026-07-01T00:00:00Z'));
    expect(sample(await retentionMetrics(h.db, t('2026-07-10T03:04:59Z')), MISSED, 'nightly')).toBe(0);
    expect(sample(await retentionMetrics(h.db, t('2026-07-10T03:10:00Z')), MISSED, 'nightly')).toBe(600);
    expect(sample(await retentionMetrics(h.db, t('2026-07-10T13:00:00Z')), MISSED, 'nightly')).toBe(10 * 3600);
  });

  it('a claimed slot is on time, and its claim time is exported', async () => {
    const r = await root('claimed', '0 3 * * *', t('2026-07-01T00:00:00Z'));
    await h.db.jobRun.create({ data: { job: `rotation:${r.id}`, slot: '2026-07-10T03:00:00.000Z', status: 'done', owner: 'w', startedAt: t('2026-07-10T03:00:20Z') } });
    const text = await retentionMetrics(h.db, t('2026-07-10T04:00:00Z'));
    expect(sample(text, MISSED, 'claimed')).toBe(0);
    expect(sample(text, LAST, 'claimed')).toBe(Date.parse('2026-07-10T03:00:20Z') / 1000);
  });

  it('no false alarm for a root registered or edited after its slot could still run', async () => {
    await root('late-registered', '0 3 * * *', t('2026-07-10T12:00:00Z'));
    const edited = await root('edited', '0 3 * * *', t('2026-07-01T00:00:00Z'));
    await h.db.auditEvent.create({ data: { actorType: 'user', actorLabel: 'op', action: 'retention.root.update', targetType: 'artifact-root', targetId: edited.id, summary: 'schedule', at: t('2026-07-10T11:00:00Z') } });
    // Registered within the slot's catch-up hour: the worker should have run it.
    await root('registered-in-time', '0 3 * * *', t('2026-07-10T03:30:00Z'));
    const text = await retentionMetrics(h.db, t('2026-07-10T12:30:00Z'));
    expect(sample(text, MISSED, 'late-registered')).toBe(0);
    expect(sample(text, MISSED, 'edited')).toBe(0);
    expect(sample(text, MISSED, 'registered-in-time')).toBe(9.5 * 3600);
  });

  it('roots without a schedule (or with a broken one) have no schedule series', async () => {
    await root('manual', null, t('2026-07-01T00:00:00Z'));
    await root('broken', 'not a cron', t('2026-07-01T00:00:00Z'));
    const text = await retentionMetrics(h.db, t('2026-07-10T12:30:00Z'));
    expect(text).not.toMatch(/steward_retention_schedule_\w+\{root="(manual|broken)"\}/);
    expect(text).toMatch(/steward_artifact_root_cap_bytes\{root="manual"\} 1048576/);
  });
});

describe('deploy/ uses only metrics Steward exports', () => {
  it('every steward_* name in the alert rules and the Grafana dashboard is a metric of /metrics', async () => {
    const exported = new Set([...(await allMetricsText(h.db, new Date())).matchAll(/^# TYPE (\w+) /gm)].map((m) => m[1]));
    for (const file of ['deploy/prometheus/steward-rules.yml', 'deploy/prometheus/steward-rules.test.yml', 'deploy/grafana/steward-dashboard.json']) {
      const text = fs.readFileSync(path.join(process.cwd(), file), 'utf8');
      const used = new Set([...text.matchAll(/\bsteward_[a-z0-9_]+/g)].map((m) => m[0]));
      expect(used.size, file).toBeGreaterThan(3);
      for (const name of used) expect(exported.has(name), `${file}: ${name}`).toBe(true);
    }
  });
});
