/**
 * Sixty days of CI for the flaky-tests capability, told by the real services on the demo's clock:
 * the admin creates two projects and sets their CODEOWNERS, then every CI job uploads its Surefire
 * report through `ingestResults` as the "ci-main (demo)" token, at the time the job finished. The
 * policy engine decides the rest (flakes, auto-quarantine with tickets, broken, recovered,
 * eligible); the on-call operator reviews the quarantine list twice and releases what is eligible,
 * and quarantines one test by hand with an expiry.
 *
 * What the CI does is decided up front from a fixed seed (pushes, branches, commits, which tests
 * flake when); what happens next is the product's: a job whose failures are not all quarantined is
 * red (the `steward test` rule, read from ingest's answer) and is re-run once as attempt 2.
 */
import type { Db } from '@/lib/db/client';
import { updateProjectSettings } from '../flaky/project-settings';
import { createProject } from '../flaky/projects';
import { quarantineTest, unquarantineTest } from '../flaky/quarantine';
import type { SimClock } from './clock';
import { isRed, jobKey, schedule, upload } from './flaky-jobs';
import { DAY, HOLOGRAM, HOUR, MANUAL, MIN, MM_BOT, REVIEW_DAYS, type ProjectPlan } from './flaky-plans';
import { hologramSuite, mmBotSuite } from './flaky-suite';
import { seeded } from './random';
import type { DemoCast, DemoEvent } from './story';

export { CI_TOKEN, DEMO_CI_DAYS } from './flaky-plans';

export interface FlakyStoryInput {
  db: Db;
  clock: SimClock;
  /** Midnight UTC of the first CI day. */
  ciDay0: number;
}

/** The flaky story's events, for story.ts to play in time order with its own. */
export function flakyEvents(s: FlakyStoryInput): (cast: DemoCast) => DemoEvent[] {
  return (cast) => {
    const { db, clock, ciDay0 } = s;
    const now = () => clock.now();
    const at = (day: number) => ciDay0 + Math.round(day * DAY);
    const plans: ProjectPlan[] = [{ ...HOLOGRAM, tests: hologramSuite() }, { ...MM_BOT, tests: mmBotSuite() }];
    const red = new Set<string>();
    const decide = seeded(4242);
    const events: DemoEvent[] = [];

    plans.forEach((plan, i) => {
      events.push({ atMs: ciDay0 + 9 * HOUR + (20 + 5 * i) * MIN, tree: false, run: () => createProject(db, cast.admin(), { key: plan.key, name: plan.name }, now()) });
      events.push({ atMs: ciDay0 + 9 * HOUR + (21 + 5 * i) * MIN, tree: false, run: () => setCodeowners(db, cast, plan, now()) });
      for (const job of schedule(plan, ciDay0, 100 + i)) {
        events.push({
          atMs: job.atMs,
          tree: false,
          run: async () => {
            if (isRed(await upload(db, cast, job, now(), ciDay0))) red.add(jobKey(job));
          },
        });
        // Someone re-runs a red job within the hour (most of the time); nightly runs are left alone.
        if (job.suite === 'e2e') continue;
        const rerunAt = job.atMs + (15 + decide() * 40) * MIN;
        // An infrastructure failure is always re-run (someone restarts the dead service); the draw is
        // taken anyway, so the other jobs' choices do not depend on which day the demo starts.
        const draw = decide();
        const wanted = job.infra || draw < 0.85;
        events.push({
          atMs: rerunAt,
          tree: false,
          run: async () => {
            if (!wanted || !red.has(jobKey(job))) return;
            await upload(db, cast, { ...job, atMs: rerunAt, attempt: 2, infra: false }, now(), ciDay0);
          },
        });
      }
    });

    for (const day of REVIEW_DAYS) events.push({ atMs: at(day), tree: false, run: () => reviewQuarantine(db, cast, clock) });
    events.push({
      atMs: at(MANUAL.day),
      tree: false,
      run: async () => {
        const [file, name] = MANUAL.ref.split('::') as [string, string];
        const t = await db.testCase.findFirst({ where: { project: { key: 'hologram' }, file, name } });
        // The operator quarantines it only if the policy has not already.
        if (!t || t.status !== 'active') return;
        const n = now();
        await quarantineTest(db, cast.oncall(), { testId: t.id, reason: MANUAL.reason, expiresAt: new Date(n.getTime() + MANUAL.days * DAY) }, n);
      },
    });
    return events;
  };
}

/** The admin sets the project's CODEOWNERS through the settings service, as on the page. */
async function setCodeowners(db: Db, cast: DemoCast, plan: ProjectPlan, now: Date): Promise<void> {
  await updateProjectSettings(db, cast.admin(), { key: plan.key, codeowners: plan.codeowners }, now);
}

/** The on-call reads each quarantine list and releases the tests that are eligible, a minute apart. */
async function reviewQuarantine(db: Db, cast: DemoCast, clock: SimClock): Promise<void> {
  const eligible = await db.testCase.findMany({ where: { status: 'quarantined', eligibleAt: { not: null }, project: { key: { in: [HOLOGRAM.key, MM_BOT.key] } } }, orderBy: [{ eligibleAt: 'asc' }, { id: 'asc' }] });
  for (const t of eligible) {
    clock.advanceTo(clock.nowMs() + MIN);
    await unquarantineTest(db, cast.oncall(), { testId: t.id, note: `Fix merged; ${t.greenStreak} consecutive greens since, releasing.` }, clock.now());
  }
}

export interface FlakySummary {
  projects: number;
  tests: number;
  uploads: number;
  results: number;
  quarantined: number;
  eligible: number;
}

/** What the flaky story left in the database, counted there. */
export async function flakySummary(db: Db): Promise<FlakySummary> {
  const ids = (await db.project.findMany({ where: { key: { in: [HOLOGRAM.key, MM_BOT.key] } }, select: { id: true } })).map((p) => p.id);
  const projectId = { in: ids };
  // One after the other: inside the demo's transaction there is one connection anyway.
  return {
    projects: ids.length,
    tests: await db.testCase.count({ where: { projectId } }),
    uploads: await db.testUpload.count({ where: { projectId } }),
    results: await db.testResult.count({ where: { projectId } }),
    quarantined: await db.testCase.count({ where: { projectId, status: 'quarantined' } }),
    eligible: await db.testCase.count({ where: { projectId, status: 'quarantined', eligibleAt: { not: null } } }),
  };
}
