/**
 * `steward demo` must tell the truth: every row is one the product could have written, and the
 * audit log, the rotation runs, the schedule and the tree on disk agree with each other.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyPassword } from 'better-auth/crypto';
import { Cron } from 'croner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRole, type Role } from '@/lib/engine/roles';
import type { Actor } from '@/lib/services/actor';
import { loadDemo, type DemoResult } from '@/lib/services/demo';
import { listTokens } from '@/lib/services/tokens';
import { createTestDb, type TestDb } from './helpers';
import { firstPreviewFindings } from './demo-helpers';

const actor: Actor = { type: 'cli', id: null, label: 'cli:demo-test', origin: 'cli' };
const DAY = 86_400_000;
let h: TestDb;
let dataDir: string;
let now: Date;
let demo: DemoResult;

beforeAll(async () => {
  h = await createTestDb();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-'));
  now = new Date();
  demo = await loadDemo(h.db, actor, now, { dataDir });
}, 600_000);
afterAll(async () => {
  await h?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const audit = () => h.db.auditEvent.findMany({ orderBy: { id: 'asc' } });

/** Role each demo account had at time `t`, from the user.create / user.update rows. */
async function roleTimeline() {
  const changes = (await audit()).filter((r) => r.action === 'user.create' || r.action === 'user.update');
  const emails = new Map((await h.db.user.findMany()).map((u) => [u.id, u.email]));
  return (email: string, t: Date): Role | null => {
    let role: Role | null = null;
    for (const c of changes) {
      if (c.at > t) break;
      if (emails.get(c.targetId!) === email) role = (c.after as { role: Role }).role;
    }
    return role;
  };
}

/** The role each action needs, as lib/actions declares it (defineAction's `role`). */
const NEEDS: Record<string, Role> = {
  'user.create': 'admin',
  'user.update': 'admin',
  'token.create': 'admin',
  'token.revoke': 'admin',
  'retention.root.create': 'admin',
  'retention.root.update': 'operator',
  'retention.preview': 'operator',
  'retention.approve': 'operator',
  'retention.execute': 'operator',
  'retention.execute.done': 'operator',
  // The flaky-tests story (flaky-story.ts, checked in demo-flaky.int.test.ts).
  'project.create': 'admin',
  'project.update': 'admin',
  'test.quarantine': 'operator',
  'test.unquarantine': 'operator',
  // The perf story (perf-story.ts, checked in demo-perf.int.test.ts).
  'perf.budgets.set': 'admin',
  'perf.baseline.refresh': 'operator',
  'perf.baseline.rollback': 'operator',
  'perf.regression.acknowledge': 'operator',
  'perf.regression.fix': 'operator',
  // The cron story (cron-story.ts, checked in demo-cron.int.test.ts).
  'cron.ping_key.create': 'admin',
  'cron.check.create': 'operator',
  'cron.check.pause': 'operator',
};
/** What the scheduled-rotation job writes (it runs as job:rotation:<root>). */
const JOB_ACTIONS = ['retention.preview', 'retention.approve', 'retention.execute', 'retention.execute.done'];
/** What the flaky-test policy writes after an upload (it runs as job:flaky-policy). */
const POLICY_ACTIONS = ['test.quarantine', 'test.unquarantine'];

describe('steward demo', () => {
  it('creates the demo accounts, tokens and root, and the passwords work (stored only as scrypt hashes)', async () => {
    expect(demo.alreadyLoaded).toBe(false);
    expect(demo.users.map((u) => [u.email, u.role])).toEqual([
      ['platform@demo.steward.local', 'admin'],
      ['lead@demo.steward.local', 'viewer'],
      ['oncall@demo.steward.local', 'operator'],
    ]);
    const users = await h.db.user.findMany({ orderBy: { email: 'asc' }, include: { accounts: true } });
    expect(users.map((u) => [u.email, u.role])).toEqual([
      ['lead@demo.steward.local', 'viewer'],
      ['oncall@demo.steward.local', 'operator'],
      ['platform@demo.steward.local', 'admin'],
    ]);
    const accounts = JSON.stringify(users.map((u) => u.accounts));
    for (const u of demo.users) {
      expect(u.password).toMatch(/^demo-[A-Za-z0-9_-]{8}$/);
      expect(accounts).not.toContain(u.password);
      const row = users.find((x) => x.email === u.email)!;
      expect(await verifyPassword({ hash: row.accounts[0]!.password!, password: u.password })).toBe(true);
    }
    // No token secret is handed out, so nobody can use the demo tokens.
    expect(JSON.stringify(demo)).not.toContain('stw_');
    const root = await h.db.artifactRoot.findUniqueOrThrow({ where: { id: demo.artifacts!.rootId } });
    expect(root).toMatchObject({ name: 'soak-demo', schedule: '0 3 * * *', timezone: 'UTC', scheduleMode: 'auto', policyVersion: 2, scheduledFailures: 0 });
    expect(root.path).toBe(path.join(fs.realpathSync(dataDir), 'artifacts', 'soak-demo'));
  });

  it('audit rows are in time order, inside the simulated month, and none is in the future', async () => {
    const rows = await audit();
    expect(rows.length).toBe(demo.auditEvents);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.at.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.at.getTime());
    expect(now.getTime() - rows[0]!.at.getTime()).toBeGreaterThan(29 * DAY);
    expect(rows.at(-1)).toMatchObject({ action: 'demo.load', actorLabel: 'cli:demo-test', at: now });
    expect(rows.every((r) => r.outcome === 'ok')).toBe(true);
  });

  it("every audit row's actor had the role the action needs, at that time", async () => {
    const roleAt = await roleTimeline();
    const roots = await h.db.artifactRoot.findMany();
    const tokens = await listTokens(h.db);
    for (const r of await audit()) {
      const need = NEEDS[r.action];
      if (r.actorType === 'cli') continue; // whoever runs the CLI owns the machine and the database
      if (r.actorType === 'token') {
        // CI uploads (test results, perf runs, soak runs, E2E logs, chaos results, sentinel reports): a live token with the ingest scope, used after it was created.
        const t = tokens.find((x) => `token:${x.name}` === r.actorLabel);
        expect(['tests.ingest', 'perf.ingest', 'soak.ingest', 'e2e.ingest', 'chaos.ingest', 'cron.sentinel.report']).toContain(r.action);
        expect(t?.scopes).toContain('ingest');
        expect(r.at.getTime()).toBeGreaterThanOrEqual(Date.parse(t!.createdAt));
        expect(t!.revokedAt === null || r.at.getTime() < Date.parse(t!.revokedAt)).toBe(true);
        continue;
      }
      expect(need, `unexpected action ${r.action}`).toBeDefined();
      if (r.actorType === 'system' && r.actorLabel === 'job:flaky-policy') {
        expect(POLICY_ACTIONS).toContain(r.action);
        continue;
      }
      if (r.actorType === 'system') {
        expect(JOB_ACTIONS).toContain(r.action);
        expect(roots.map((x) => `job:rotation:${x.name}`)).toContain(r.actorLabel);
        continue;
      }
      expect(r.actorType).toBe('user');
      const role = roleAt(r.actorLabel, r.at);
      expect(role && hasRole(role, need!), `${r.actorLabel} (${role}) did ${r.action} at ${r.at.toISOString()}`).toBe(true);
    }
  });

  it('no change is recorded twice, and every recorded change changed something', async () => {
    const seen = new Set<string>();
    for (const r of await audit()) {
      if (r.before !== null) expect(JSON.stringify(r.before), `${r.action} ${r.summary}`).not.toBe(JSON.stringify(r.after));
      if (r.action.startsWith('retention.')) continue; // one plan per preview: targets differ anyway
      const key = `${r.action} ${r.targetId} ${r.summary} ${JSON.stringify(r.after)}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });

  it('every token created in the audit log is in the token list; a revoked one has its revoke row', async () => {
    const rows = await audit();
    const tokens = await listTokens(h.db);
    const created = rows.filter((r) => r.action === 'token.create');
    expect(created.map((r) => r.targetId).sort()).toEqual(tokens.map((t) => t.id).sort());
    for (const t of tokens) {
      const revokes = rows.filter((r) => r.action === 'token.revoke' && r.targetId === t.id);
      expect(revokes.map((r) => r.at.toISOString())).toEqual(t.revokedAt ? [t.revokedAt] : []);
      expect(created.find((r) => r.targetId === t.id)!.at.toISOString()).toBe(t.createdAt);
    }
    expect(tokens.filter((t) => t.revokedAt).map((t) => t.name)).toEqual(['nightly-perf (demo)']);
    expect(demo.tokens.map((t) => [t.name, t.revoked])).toEqual([
      ['ci-main (demo)', false],
      ['soak-runner (demo)', false],
      ['grafana (demo)', false],
      ['nightly-perf (demo)', true],
    ]);
  });

  it("every rotation run is at a slot of its root's schedule (in its time zone) or an operator's approve and execute", async () => {
    const roleAt = await roleTimeline();
    const root = await h.db.artifactRoot.findUniqueOrThrow({ where: { id: demo.artifacts!.rootId } });
    const cron = new Cron(root.schedule!, { paused: true, timezone: root.timezone });
    const runs = await h.db.rotationRun.findMany({ where: { rootId: root.id }, orderBy: { timestamp: 'asc' } });
    const plans = new Map((await h.db.retentionPlan.findMany({ where: { rootId: root.id } })).map((p) => [p.id, p]));
    expect(runs.length).toBe(demo.artifacts!.rotationRuns);
    expect(runs.length).toBeGreaterThan(20);
    let scheduled = 0;
    for (const run of runs) {
      const plan = plans.get(run.planId!)!;
      if (plan.source === 'schedule') {
        scheduled++;
        const slot = cron.previousRuns(1, new Date(plan.createdAt.getTime() + 1))[0]!;
        expect(plan.createdAt.getTime() - slot.getTime()).toBeLessThan(60_000);
        expect(slot.getUTCHours()).toBe(3);
        expect(run.timestamp.getTime() - slot.getTime()).toBeLessThan(10 * 60_000);
        expect([run.approvedBy, run.executedBy]).toEqual([`job:rotation:${root.name}`, `job:rotation:${root.name}`]);
      } else {
        for (const who of [run.approvedBy!, run.executedBy!]) expect(hasRole(roleAt(who, run.timestamp)!, 'operator'), `${who} at ${run.timestamp.toISOString()}`).toBe(true);
        expect(plan.approvedAt!.getTime()).toBeLessThanOrEqual(run.timestamp.getTime());
      }
      expect(run.timestamp.getTime()).toBeLessThanOrEqual(now.getTime());
    }
    expect(scheduled).toBeGreaterThan(15);
    // Every slot since the root was registered ran once: a job_runs row per slot, started at it.
    const jobs = await h.db.jobRun.findMany({ where: { job: `rotation:${root.id}` }, orderBy: { slot: 'asc' } });
    // The demo simulates nothing in the last 5 minutes; the job ticks 1.5 s after the slot.
    const slots = cron.nextRuns(40, root.createdAt).filter((s) => s.getTime() + 1500 <= now.getTime() - 5 * 60_000);
    expect(jobs.map((j) => j.slot)).toEqual(slots.map((s) => s.toISOString()));
    for (const j of jobs) {
      expect(j.status).toBe('done');
      expect(j.startedAt.getTime() - new Date(j.slot).getTime()).toBeLessThan(60_000);
    }
    // The rotation log on disk has one line per run, at the run's time.
    const log = fs.readFileSync(path.join(root.path, 'rotation', 'ROTATION_LOG.jsonl'), 'utf8').trim().split('\n');
    expect(log.map((l) => (JSON.parse(l) as { timestamp: string }).timestamp)).toEqual(runs.map((r) => `${r.timestamp.toISOString().slice(0, 19)}Z`));
  });

  it('the first preview after the demo finds nothing that was due before the last scheduled run', async () => {
    const f = await firstPreviewFindings(h.db, demo.artifacts!.rootId, new Date());
    expect(f.warnings).toEqual([]); // no file dated after now
    expect(f.lastRun.getTime()).toBeGreaterThan(now.getTime() - DAY - 10 * 60_000);
    for (const a of f.actions) expect(a.dueAt, `${a.kind} ${a.path}: ${a.reason}`).toBeGreaterThan(f.lastPlanAt.getTime());
    // The tree holds what the policy keeps plus what arrived since: 100 summaries kept, the rest new.
    expect(f.iterSummaries).toBeGreaterThanOrEqual(100);
    expect(f.iterSummaries - 100).toBeLessThanOrEqual(f.arrivedSinceLastRun);
  });

  it('a second call returns alreadyLoaded and changes nothing', async () => {
    const counts = async () => [await h.db.user.count(), await h.db.apiToken.count(), await h.db.auditEvent.count(), await h.db.rotationRun.count(), await h.db.setting.count()];
    const before = await counts();
    const tree = fs.readdirSync(path.join(demo.artifacts!.rootPath, 'latest')).length;
    expect(await loadDemo(h.db, actor, new Date(), { dataDir })).toEqual({ alreadyLoaded: true, users: [], tokens: [], auditEvents: 0, artifacts: null, flaky: null, perf: null, soak: null, cron: null });
    expect(await counts()).toEqual(before);
    expect(fs.readdirSync(path.join(demo.artifacts!.rootPath, 'latest')).length).toBe(tree);
  });
});

describe('steward demo, all or nothing', () => {
  it('a failure half-way leaves no row, no marker and no tree behind', async () => {
    const db = await createTestDb();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-'));
    try {
      // A root already named "soak-demo" makes the demo fail after it created users and tokens.
      fs.mkdirSync(path.join(dir, 'artifacts', 'other'), { recursive: true });
      await db.db.artifactRoot.create({ data: { id: 'r1', name: 'soak-demo', path: path.join(dir, 'artifacts', 'other'), policy: {} } });
      await expect(loadDemo(db.db, actor, new Date(), { dataDir: dir })).rejects.toThrow('A root named "soak-demo" already exists');
      expect([await db.db.user.count(), await db.db.apiToken.count(), await db.db.auditEvent.count(), await db.db.setting.count(), await db.db.artifactRoot.count()]).toEqual([0, 0, 0, 0, 1]);
      // Thirty days of CI were stored before the root's turn came: rolled back too.
      expect([await db.db.project.count(), await db.db.testUpload.count(), await db.db.testResult.count(), await db.db.testCase.count()]).toEqual([0, 0, 0, 0]);
      expect(fs.existsSync(path.join(dir, 'artifacts', 'soak-demo'))).toBe(false);
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000); // the CI story's first thirty days run before the root is registered

  it('refuses to write into an existing soak-demo directory and leaves it alone', async () => {
    const db = await createTestDb();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-'));
    try {
      const mine = path.join(dir, 'artifacts', 'soak-demo', 'mine.txt');
      fs.mkdirSync(path.dirname(mine), { recursive: true });
      fs.writeFileSync(mine, 'keep me');
      await expect(loadDemo(db.db, actor, new Date(), { dataDir: dir })).rejects.toThrow('already exists');
      expect(fs.readFileSync(mine, 'utf8')).toBe('keep me');
      expect(await db.db.setting.count()).toBe(0);
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
