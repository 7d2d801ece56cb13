'use server';
/**
 * Perf writes from the pages (operator): upload a run by hand, refresh or roll back a baseline,
 * refresh every ready series, acknowledge or close a regression. Each calls the service CI and the
 * CLI use, with the signed-in user as the actor; CI uploads with a token through the API.
 */
import zlib from 'node:zlib';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { invalid } from '@/lib/services/errors';
import { projectKeySchema } from '@/lib/services/flaky/projects';
import { refreshBaseline, rollbackBaseline } from '@/lib/services/perf/baselines';
import { ingestPerfRun } from '@/lib/services/perf/ingest';
import { refreshAllReady } from '@/lib/services/perf/refresh-all';
import { setRegressionStatus, setRegressionStatusSchema } from '@/lib/services/perf/regression-list';
import { profileSchema } from '@/lib/services/perf/run-input';

const seriesKey = z.object({ metricId: z.string().uuid(), testbedId: z.string().uuid(), branch: z.string().trim().min(1).max(200) });
/** Per file once unzipped; the page gzips each file so that the action body limit (lib/auth/limits.ts) holds several MB. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

async function readUpload(f: File): Promise<{ name: string; content: string }> {
  const raw = Buffer.from(await f.arrayBuffer());
  if (!f.name.endsWith('.gz')) return { name: f.name, content: raw.toString('utf8') };
  try {
    return { name: f.name.slice(0, -3), content: zlib.gunzipSync(raw, { maxOutputLength: MAX_FILE_BYTES }).toString('utf8') };
  } catch {
    throw invalid([{ field: 'files', message: `${f.name}: not a gzip file, or over ${MAX_FILE_BYTES / 1024 / 1024} MB unzipped; upload large files from CI with steward perf report` }]);
  }
}

export const uploadPerfRunAction = defineAction(
  {
    name: 'perf.ingest',
    role: 'operator',
    input: z.object({
      project: projectKeySchema,
      profile: profileSchema,
      branch: z.string().trim().max(200).optional(),
      commit: z.string().trim().max(64).optional(),
      runner: z.string().trim().max(200).optional(),
      files: z.array(z.instanceof(File)).min(1, 'choose at least one file').max(20, 'at most 20 files at once'),
    }),
  },
  async ({ project, profile, branch, commit, runner, files }, { db, actor, now }) => {
    const contents = await Promise.all(files.map(readUpload));
    const r = await ingestPerfRun(db, actor, { project, profile, branch: branch || null, commit: commit || null, testbed: runner ? { runner } : {}, files: contents }, { now });
    revalidatePath(`/performance/${project}`, 'layout');
    return { id: r.id, duplicate: r.duplicate, status: r.status, metrics: r.metrics.length, testbed: r.testbed, warnings: r.warnings.slice(0, 10) };
  },
);

export const refreshBaselineAction = defineAction(
  { name: 'perf.baseline.refresh', role: 'operator', input: z.object({ project: projectKeySchema, key: seriesKey, note: z.string().max(2000), expectedVersion: z.number().int().min(0) }) },
  async (input, { db, actor, now }) => {
    const r = await refreshBaseline(db, actor, input, now);
    revalidatePath(`/performance/${input.project}`, 'layout');
    return { version: r.version, value: r.value };
  },
);

export const rollbackBaselineAction = defineAction(
  { name: 'perf.baseline.rollback', role: 'operator', input: z.object({ project: projectKeySchema, key: seriesKey, toVersion: z.number().int().min(1), note: z.string().max(2000), expectedVersion: z.number().int().min(0) }) },
  async (input, { db, actor, now }) => {
    const r = await rollbackBaseline(db, actor, input, now);
    revalidatePath(`/performance/${input.project}`, 'layout');
    return r;
  },
);

export const refreshAllReadyAction = defineAction(
  { name: 'perf.baseline.refresh', role: 'operator', input: z.object({ project: projectKeySchema, branch: z.string().trim().min(1).max(200), note: z.string().max(2000) }) },
  async (input, { db, actor, now }) => {
    const r = await refreshAllReady(db, actor, input, now);
    revalidatePath(`/performance/${input.project}`, 'layout');
    return r;
  },
);

export const setRegressionStatusAction = defineAction(
  { name: 'perf.regression.update', role: 'operator', input: setRegressionStatusSchema.extend({ project: projectKeySchema }) },
  async ({ project, ...input }, { db, actor, now }) => {
    const r = await setRegressionStatus(db, actor, input, now);
    revalidatePath(`/performance/${project}`, 'layout');
    return r;
  },
);
