/**
 * The demo's history, told by the real services on the simulated clock: accounts and tokens created
 * by an admin on the first morning (`ciDay0`, when the team also starts sending CI results: see
 * flaky-story.ts, whose events this story plays in time order with its own), then, thirty days
 * before today (`day0`), a soak root registered with the CI Main preset and a `0 3 * * *` schedule, a week
 * of scheduled previews that an operator follows up by hand (a scheduled plan expires after an
 * hour, long before anyone is at a desk), then the switch to automatic runs at 03:00, a policy
 * change and a token revoked. Every row is written by the service that writes it in production;
 * nothing is inserted by hand, so the audit log, the runs and the schedule agree by construction.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { presetPolicy, serializePolicy } from '@/lib/engine/retention';
import type { Role, TokenScope } from '@/lib/engine/roles';
import type { Actor } from '../actor';
import { executePlan } from '../retention/execute';
import { approvePlan, expirePlans, previewCleanup } from '../retention/plans';
import { registerRoot, updateRoot } from '../retention/roots';
import { runDueRotations } from '../retention/scheduled';
import { createToken, revokeToken } from '../tokens';
import { createUser, updateUser } from '../users';
import type { SimClock } from './clock';
import { seeded } from './random';
import { isDemoWeekendAt } from './weeks';
import type { DemoTree } from './tree';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Nothing is simulated in the last minutes before the real now (see SimClock). */
export const LAST_EVENT_MARGIN_MS = 5 * MIN;

export const DEMO_ROOT_NAME = 'soak-demo';
export const DEMO_SCHEDULE = '0 3 * * *';

export interface StoryInput {
  db: Db;
  clock: SimClock;
  tree: DemoTree;
  /** Who runs `steward demo`: creates the demo's first admin. */
  cli: Actor;
  /** Allowed base of the demo root (<data dir>/artifacts). */
  base: string;
  /** Midnight UTC of the day the soak root is registered (thirty days before today). */
  day0: number;
  /** Midnight UTC of the first simulated day (≤ day0): the admin sets up accounts and tokens then. */
  ciDay0: number;
  /** More events, played in time order with the story's own (the flaky-tests CI history). */
  more?: (cast: DemoCast) => DemoEvent[];
}

/** Something that happens at a simulated time. `tree: false`: it does not touch the artifact tree. */
export interface DemoEvent {
  atMs: number;
  run: () => Promise<unknown>;
  tree?: false;
}

/** The story's people and tokens as actors, for other stories' events (read when they run). */
export interface DemoCast {
  /** The platform admin. */
  admin(): Actor;
  /** The on-call SRE (a viewer until the story makes them an operator on day 1). */
  oncall(): Actor;
  /** A token the story created, as the API sees a request that carries it. */
  token(name: string): Actor;
}

export interface StoryResult {
  users: { email: string; role: Role; password: string }[];
  tokens: { name: string; scopes: TokenScope[]; revoked: boolean }[];
  rootId: string;
}

type Person = { id: string; email: string; name: string; role: Role };

export async function playStory(s: StoryInput): Promise<StoryResult> {
  const { db, clock, tree } = s;
  const at = (day: number, h: number, m = 0, sec = 0) => s.day0 + day * DAY + h * HOUR + m * MIN + sec * 1000;
  const first = (h: number, m: number) => s.ciDay0 + h * HOUR + m * MIN;
  const now = () => clock.now();
  const rand = seeded(42);
  const people: Record<'platform' | 'oncall' | 'lead', Person | null> = { platform: null, oncall: null, lead: null };
  const actorOf = (p: Person | null): Actor => {
    if (!p) throw new Error('demo story: a person acts before being created');
    return { type: 'user', id: p.id, label: p.email, role: p.role, origin: 'demo' };
  };
  const users: StoryResult['users'] = [];
  const tokens = new Map<string, { id: string; name: string; scopes: TokenScope[]; revoked: boolean }>();
  let rootId = '';

  const addUser = async (key: keyof typeof people, by: Actor, email: string, name: string, role: Role) => {
    const password = `demo-${crypto.randomBytes(6).toString('base64url')}`;
    const u = await createUser(db, by, { email, name, role, password }, now());
    people[key] = { id: u.id, email: u.email, name: u.name, role: u.role };
    users.push({ email: u.email, role: u.role, password });
  };
  const addToken = async (name: string, scopes: TokenScope[]) => {
    const { token } = await createToken(db, actorOf(people.platform), { name, scopes }, now());
    tokens.set(name, { id: token.id, name: token.name, scopes: token.scopes, revoked: false });
  };
  /** "Preview cleanup", read the plan, "Approve and execute": what the on-call operator clicks. */
  const cleanUpByHand = async () => {
    const oncall = actorOf(people.oncall);
    const plan = await previewCleanup(db, oncall, rootId, now());
    // Nothing to do: the operator reads the empty plan and leaves it (it expires on its own).
    if (plan.totals.filesToDelete + plan.totals.filesToCompress === 0) return;
    clock.advanceTo(clock.nowMs() + 30_000 + Math.floor(rand() * 90_000));
    await approvePlan(db, oncall, plan.id, now());
    await executePlan(db, oncall, plan.id, { clock: clock.now });
  };
  /** The retention-schedules job's tick just after the slot (it runs every minute). */
  const scheduledTick = async () => {
    const out = await runDueRotations(db, now(), 'demo', { rootId, clock: clock.now });
    const failed = out.find((o) => o.status === 'failed');
    if (failed) throw new Error(`demo: the scheduled rotation at ${failed.slot} failed: ${failed.error}`);
  };

  const cast: DemoCast = {
    admin: () => actorOf(people.platform),
    oncall: () => actorOf(people.oncall),
    token: (name) => {
      const t = tokens.get(name);
      if (!t || t.revoked) throw new Error(`demo story: token ${name} is used before it exists or after it was revoked`);
      return { type: 'token', id: t.id, label: `token:${t.name}`, scopes: t.scopes, projects: [], origin: 'demo' };
    },
  };
  const events: DemoEvent[] = [
    { atMs: first(8, 55), run: () => addUser('platform', s.cli, 'platform@demo.steward.local', 'Platform Admin (demo)', 'admin') },
    { atMs: first(9, 0), run: () => addUser('lead', actorOf(people.platform), 'lead@demo.steward.local', 'Team Lead (demo)', 'viewer') },
    { atMs: first(9, 1), run: () => addUser('oncall', actorOf(people.platform), 'oncall@demo.steward.local', 'On-call SRE (demo)', 'viewer') },
    { atMs: first(9, 5), run: () => addToken('ci-main (demo)', ['ingest', 'read']) },
    { atMs: first(9, 6), run: () => addToken('soak-runner (demo)', ['ingest']) },
    { atMs: first(9, 7), run: () => addToken('grafana (demo)', ['read']) },
    {
      atMs: at(0, 9, 10),
      run: async () => {
        const root = await registerRoot(db, actorOf(people.platform), { name: DEMO_ROOT_NAME, path: tree.root, presetId: 'ci-main', schedule: DEMO_SCHEDULE, scheduleMode: 'approve', timezone: 'UTC' }, { allowedBases: [s.base], now: now() });
        rootId = root.id;
      },
    },
    // The on-call SRE needs the operator role to approve cleanups.
    {
      atMs: at(1, 10, 0),
      run: async () => {
        const u = await updateUser(db, actorOf(people.platform), { userId: people.oncall!.id, role: 'operator' }, now());
        people.oncall = { ...people.oncall!, role: u.role };
        for (const x of users) if (x.email === u.email) x.role = u.role;
      },
    },
    { atMs: at(1, 10, 30), run: cleanUpByHand },
    // After a week of approving by hand, the operator lets the 03:00 run execute on its own.
    { atMs: at(9, 11, 0), run: () => updateRoot(db, actorOf(people.oncall), { rootId, scheduleMode: 'auto' }, now()) },
    { atMs: at(12, 14, 0), run: () => addToken('nightly-perf (demo)', ['ingest']) },
    {
      atMs: at(16, 10, 0),
      run: () => {
        const doc = serializePolicy(presetPolicy('ci-main'));
        const policy = { ...doc, protect: [...doc.protect, { id: 'edge-reports', match: 'reports/**', reason: 'edge reports are kept for the quarterly review' }] };
        return updateRoot(db, actorOf(people.oncall), { rootId, policy }, now());
      },
    },
    {
      atMs: at(21, 16, 0),
      run: async () => {
        const t = tokens.get('nightly-perf (demo)')!;
        await revokeToken(db, actorOf(people.platform), t.id, now());
        t.revoked = true;
      },
    },
  ];
  for (let d = 1; d <= 30; d++) {
    const approveMode = d <= 9;
    events.push({ atMs: at(d, 3, 0, 1.5), run: scheduledTick });
    // The retention-resume job (every 2 minutes) expires the scheduled plan nobody approved within
    // the hour: its first tick after 04:00:01 is 04:02. Its other ticks have nothing to do.
    if (approveMode) events.push({ atMs: at(d, 4, 2, 0.5), run: () => expirePlans(db, now()) });
    const weekday = !isDemoWeekendAt(at(d, 12), s.ciDay0);
    if (approveMode && d >= 2 && weekday) events.push({ atMs: at(d, 9, 10 + Math.floor(rand() * 50), Math.floor(rand() * 60)), run: cleanUpByHand });
  }

  events.push(...(s.more?.(cast) ?? []));
  events.sort((a, b) => a.atMs - b.atMs);
  for (const e of events) {
    if (e.atMs > clock.endMs - LAST_EVENT_MARGIN_MS) break;
    clock.advanceTo(e.atMs);
    // The tree is grown and settled around events that may touch it; the CI uploads do not, and
    // walking the tree for each of them would cost more than the uploads.
    if (e.tree === false) {
      await e.run();
      continue;
    }
    tree.growTo(clock.nowMs());
    tree.settle(clock.nowMs());
    await e.run();
    tree.settle(clock.nowMs());
  }
  return { users, tokens: [...tokens.values()].map(({ name, scopes, revoked }) => ({ name, scopes, revoked })), rootId };
}
