import { verifyPassword } from 'better-auth/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/services/actor';
import { loadDemo, type DemoResult } from '@/lib/services/demo';
import { createTestDb, type TestDb } from './helpers';

let h: TestDb;
const actor: Actor = { type: 'cli', id: null, label: 'cli:demo-test', origin: 'cli' };
const NOW = new Date('2026-06-15T12:00:00.000Z');
let first: DemoResult;

beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});

async function counts() {
  return {
    users: await h.db.user.count(),
    accounts: await h.db.account.count(),
    tokens: await h.db.apiToken.count(),
    audit: await h.db.auditEvent.count(),
    demoAudit: await h.db.auditEvent.count({ where: { origin: 'demo' } }),
    settings: await h.db.setting.count(),
  };
}

describe('loadDemo', () => {
  it('creates 3 users, 3 tokens and 60 demo audit events', async () => {
    const r = (first = await loadDemo(h.db, actor, NOW));
    expect(r.alreadyLoaded).toBe(false);
    expect(r.users.map((u) => [u.email, u.role])).toEqual([
      ['lead@demo.steward.local', 'viewer'],
      ['oncall@demo.steward.local', 'operator'],
      ['platform@demo.steward.local', 'admin'],
    ]);
    expect(r.tokens).toEqual([
      { name: 'ci-main (demo)', scopes: ['ingest', 'read'] },
      { name: 'soak-runner (demo)', scopes: ['ingest'] },
      { name: 'grafana (demo)', scopes: ['read'] },
    ]);
    expect(r.auditEvents).toBe(60);
    // 60 demo events + 3 user.create + 3 token.create + 1 demo.load.
    expect(await counts()).toEqual({ users: 3, accounts: 3, tokens: 3, audit: 67, demoAudit: 60, settings: 1 });

    const users = await h.db.user.findMany({ orderBy: { email: 'asc' } });
    expect(users.map((u) => [u.email, u.role, u.disabled])).toEqual([
      ['lead@demo.steward.local', 'viewer', false],
      ['oncall@demo.steward.local', 'operator', false],
      ['platform@demo.steward.local', 'admin', false],
    ]);
    const tokens = await h.db.apiToken.findMany({ orderBy: { name: 'asc' } });
    expect(tokens.map((t) => [t.name, t.scopes, t.revokedAt])).toEqual([
      ['ci-main (demo)', ['ingest', 'read'], null],
      ['grafana (demo)', ['read'], null],
      ['soak-runner (demo)', ['ingest'], null],
    ]);
  });

  it('the returned passwords work and are stored only as scrypt hashes', async () => {
    expect(first.users).toHaveLength(3);
    const accounts = JSON.stringify(await h.db.account.findMany());
    for (const u of first.users) {
      expect(u.password).toMatch(/^demo-[A-Za-z0-9_-]{8}$/);
      expect(accounts).not.toContain(u.password);
      const row = await h.db.user.findUniqueOrThrow({ where: { email: u.email }, include: { accounts: true } });
      expect(row.accounts.map((a) => a.providerId)).toEqual(['credential']);
      expect(await verifyPassword({ hash: row.accounts[0]!.password!, password: u.password })).toBe(true);
    }
    // No token secret is handed out, so nobody can use the demo tokens.
    expect(JSON.stringify(first)).not.toContain('stw_');
  });

  it('demo audit events span the 30 days before now, are marked and use the demo users', async () => {
    const rows = await h.db.auditEvent.findMany({ where: { origin: 'demo' } });
    expect(rows).toHaveLength(60);
    const from = NOW.getTime() - 30 * 86_400_000;
    for (const r of rows) {
      expect(r.at.getTime()).toBeGreaterThan(from);
      expect(r.at.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(r.actorLabel).toMatch(/@demo\.steward\.local$/);
      expect(['auth.login', 'user.update', 'token.create', 'audit.read']).toContain(r.action);
      expect(r.outcome).toBe(r.action === 'audit.read' ? 'denied' : 'ok');
    }
    const marker = await h.db.setting.findUniqueOrThrow({ where: { key: 'demo.loadedAt' } });
    expect(marker.value).toEqual({ at: '2026-06-15T12:00:00.000Z', state: 'loaded' });
    const load = await h.db.auditEvent.findMany({ where: { action: 'demo.load' } });
    expect(load.map((l) => [l.actorLabel, l.summary])).toEqual([['cli:demo-test', 'Loaded demo data: 3 users, 3 tokens, 60 audit events']]);
  });

  it('a second call returns alreadyLoaded and creates nothing', async () => {
    const before = await counts();
    const r = await loadDemo(h.db, actor, new Date('2026-06-16T12:00:00.000Z'));
    expect(r).toEqual({ alreadyLoaded: true, users: [], tokens: [], auditEvents: 0, artifacts: null });
    expect(await counts()).toEqual(before);
  });
});

describe('loadDemo with a data directory', () => {
  it('writes a soak-style tree, registers it with CI Main and records 90 days of history', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const db = await createTestDb();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-'));
    try {
      const now = new Date();
      const r = await loadDemo(db.db, actor, now, { dataDir });
      expect(r.artifacts).not.toBeNull();
      const a = r.artifacts!;
      expect(a.rootPath).toBe(path.join(fs.realpathSync(dataDir), 'artifacts', 'soak-demo'));
      expect(fs.readdirSync(path.join(a.rootPath, 'latest')).filter((f) => /^ITER_SUMMARY_\d+\.json$/.test(f))).toHaveLength(2400);
      expect(a.files).toBe(2500);
      const root = await db.db.artifactRoot.findUniqueOrThrow({ where: { id: a.rootId } });
      expect(root).toMatchObject({ name: 'soak-demo', presetId: 'ci-main', schedule: '0 3 * * *', scheduleMode: 'approve' });
      const samples = await db.db.diskUsageSample.count({ where: { rootId: a.rootId } });
      expect(samples).toBe(91);
      const runs = await db.db.rotationRun.findMany({ where: { rootId: a.rootId }, orderBy: { timestamp: 'asc' } });
      expect(runs).toHaveLength(90);
      expect(now.getTime() - runs[0]!.timestamp.getTime()).toBeGreaterThan(89 * 86_400_000);
      // The last sample is the real tree as written.
      const last = await db.db.diskUsageSample.findFirstOrThrow({ where: { rootId: a.rootId }, orderBy: { at: 'desc' } });
      expect(Number(last.rootBytes)).toBe(a.bytes);
    } finally {
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
