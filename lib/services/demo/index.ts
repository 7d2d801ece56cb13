/**
 * `steward demo`: sixty days of CI results and a month of operations replayed through the real
 * services on a simulated clock (story.ts, flaky-story.ts), loaded only on purpose. What it writes
 * is marked: users under demo.steward.local, tokens named "(demo)", the root "soak-demo", the
 * projects "hologram" and "mm-bot", audit rows of the demo users and tokens with origin "demo".
 *
 * - Idempotent: a settings row records that the demo was loaded; a second run does nothing.
 * - All or nothing: the marker and every row are written in one transaction (transaction.ts); on
 *   any error the transaction rolls back and the tree written so far is removed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '@/lib/db/client';
import type { Role, TokenScope } from '@/lib/engine/roles';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { ServiceError } from '../errors';
import { SimClock } from './clock';
import { DEMO_CI_DAYS, flakyEvents, flakySummary, type FlakySummary } from './flaky-story';
import { perfEvents, perfSummary, type PerfSummary } from './perf-story';
import { seeded } from './random';
import { soakEvents, soakSummary, type SoakDemoSummary } from './soak-story';
import { cronEvents, cronSummary, type CronDemoSummary } from './cron-story';
import { DEMO_ROOT_NAME, playStory } from './story';
import { analyzeFlakyTables } from '../flaky/housekeeping';
import { inDemoTransaction } from './transaction';
import { DemoTree } from './tree';

export { seeded, DEMO_CI_DAYS };

const DAY = 86_400_000;
/** Length of the replayed operations history (the artifact root's). */
export const DEMO_DAYS = 30;

export interface DemoResult {
  alreadyLoaded: boolean;
  users: { email: string; role: Role; password: string }[];
  tokens: { name: string; scopes: TokenScope[]; revoked: boolean }[];
  auditEvents: number;
  artifacts: { rootId: string; rootPath: string; files: number; bytes: number; rotationRuns: number } | null;
  flaky: FlakySummary | null;
  perf: PerfSummary | null;
  soak: SoakDemoSummary | null;
  cron: CronDemoSummary | null;
}

const NOTHING: DemoResult = { alreadyLoaded: true, users: [], tokens: [], auditEvents: 0, artifacts: null, flaky: null, perf: null, soak: null, cron: null };

/**
 * Loads the demo as of `now`, which must not be in the future: the tree's files get mtimes up to
 * `now`, and a later real clock only makes them older.
 */
export async function loadDemo(db: Db, actor: Actor, now: Date, opts: { dataDir: string }): Promise<DemoResult> {
  if (now.getTime() > Date.now()) throw new ServiceError('invalid', 'The demo cannot be loaded as of a time in the future.');
  const day0 = Math.floor(now.getTime() / DAY) * DAY - DEMO_DAYS * DAY;
  // Sixty days of CI do not fit in the operations month, and the clock only moves forward, so the
  // clock starts thirty days earlier, for everything: the admin sets up the accounts, tokens and
  // the two CI projects on the first morning (ciDay0), CI uploads from then on, and the artifact
  // story starts at day0 as before. Both stories' events are played in one time-ordered loop
  // (story.ts), which stops LAST_EVENT_MARGIN_MS before the real now.
  const ciDay0 = day0 - (DEMO_CI_DAYS - DEMO_DAYS) * DAY;
  const clock = new SimClock(ciDay0, now.getTime());
  const base = path.join(opts.dataDir, 'artifacts');
  const rootPath = path.join(base, DEMO_ROOT_NAME);
  let wroteTree = false;
  try {
    const result = await inDemoTransaction(db, clock.now, async ({ db: tx, auditRows }) => {
      // The marker first: a concurrent load blocks here until this one commits, then finds it.
      const claimed = await tx.$executeRawUnsafe(
        `INSERT INTO "settings" ("key", "value") VALUES ('demo.loadedAt', $1::jsonb) ON CONFLICT ("key") DO NOTHING`,
        JSON.stringify({ at: now.toISOString(), state: 'loaded' }),
      );
      if (claimed === 0) return NOTHING;
      if (fs.existsSync(rootPath)) {
        throw new ServiceError('conflict', `${rootPath} already exists; the demo writes its artifact tree there. Move it away (a demo that was killed before it finished leaves it behind) and run again.`);
      }
      fs.mkdirSync(rootPath, { recursive: true });
      wroteTree = true;
      const tree = new DemoTree(rootPath, day0 + 9.5 * 3_600_000, now.getTime() - 2 * 60_000);
      const story = await playStory({ db: tx, clock, tree, cli: actor, base, day0, ciDay0, more: (cast) => [...flakyEvents({ db: tx, clock, ciDay0 })(cast), ...perfEvents({ db: tx, clock, ciDay0 })(cast), ...soakEvents({ db: tx, clock })(cast), ...cronEvents({ db: tx, clock })(cast)] });
      const flaky = await flakySummary(tx);
      const perf = await perfSummary(tx);
      const soak = await soakSummary(tx);
      const cron = await cronSummary(tx);

      clock.advanceTo(now.getTime());
      tree.growTo(now.getTime());
      tree.settle(now.getTime());
      const { files, bytes } = tree.measure();
      const rotationRuns = await tx.rotationRun.count({ where: { rootId: story.rootId } });
      const root = await tx.artifactRoot.findUniqueOrThrow({ where: { id: story.rootId } });
      const revoked = story.tokens.filter((t) => t.revoked).length;
      await recordAudit(tx, actor, {
        at: now,
        action: 'demo.load',
        summary: `Loaded demo data: ${story.users.length} users, ${story.tokens.length} tokens (${revoked} revoked), ${DEMO_DAYS} days of history of root "${DEMO_ROOT_NAME}" (${rotationRuns} rotation runs, ${files} files now), ${DEMO_CI_DAYS} days of CI in ${flaky.projects} projects (${flaky.uploads} uploads, ${flaky.quarantined} tests quarantined)`,
      });
      return { alreadyLoaded: false, users: story.users, tokens: story.tokens, auditEvents: auditRows(), artifacts: { rootId: root.id, rootPath: root.path, files, bytes, rotationRuns }, flaky, perf, soak, cron };
    });
    // The demo wrote ~150,000 rows in one transaction, before autovacuum could look at them:
    // without statistics the planner treats the tables as empty and picks nested loops.
    if (!result.alreadyLoaded) await analyzeFlakyTables(db);
    return result;
  } catch (e) {
    if (wroteTree) fs.rmSync(rootPath, { recursive: true, force: true });
    throw e;
  }
}
