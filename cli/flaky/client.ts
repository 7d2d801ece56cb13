/**
 * The CLI's HTTP client for the flaky-tests API: uploads results files and reads the quarantine
 * list. Server and token come from flags or STEWARD_URL / STEWARD_TOKEN. Errors are values, not
 * throws, so `steward test` can fall back to the command's own exit code when the server is down.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { addCounts } from '@/lib/engine/flaky/counts';
import type { QuarantinedTest } from '@/lib/engine/flaky/quarantine-format';
import type { IngestResult } from '@/lib/services/flaky/ingest';

export interface ServerOptions {
  server?: string;
  token?: string;
}

export type Reply<T> = { ok: true; data: T } | { ok: false; error: string; status: number | null };

/** Files up to this total go in one multipart request (all or nothing); larger ones one by one. */
const MULTIPART_MAX = 64 * 1024 * 1024;
const TIMEOUT_MS = 10 * 60_000;

export function resolveServer(o: ServerOptions, env = process.env): { base: string; token: string } | { error: string } {
  const base = (o.server ?? env.STEWARD_URL ?? '').trim().replace(/\/+$/, '');
  const token = (o.token ?? env.STEWARD_TOKEN ?? '').trim();
  if (!base) return { error: 'no server: pass --server <url> or set STEWARD_URL' };
  if (!/^https?:\/\//i.test(base)) return { error: `--server must be an http(s) URL, got ${JSON.stringify(base)}` };
  if (!token) return { error: 'no token: pass --token or set STEWARD_TOKEN' };
  return { base, token };
}

export async function call<T>(url: string, init: RequestInit & { duplex?: 'half' }): Promise<Reply<T>> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, status: null, error: `cannot reach ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? (e as Error).message}` };
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: reported below */
  }
  if (!res.ok) {
    const msg = (body as { error?: { message?: string } } | null)?.error?.message ?? (text.slice(0, 200) || res.statusText);
    return { ok: false, status: res.status, error: `${res.status}: ${msg}` };
  }
  return body === null ? { ok: false, status: res.status, error: 'the server answered with no JSON' } : { ok: true, data: body as T };
}

export interface UploadMetaFlags {
  commit?: string | null;
  branch?: string | null;
  runId?: string | null;
  runUrl?: string | null;
  job?: string | null;
  attempt?: number | null;
  variant?: string | null;
  root?: string | null;
}

const metaFields = (project: string, meta: UploadMetaFlags): [string, string][] => {
  const out: [string, string][] = [['project', project]];
  const map: [keyof UploadMetaFlags, string][] = [['commit', 'commit'], ['branch', 'branch'], ['runId', 'run_id'], ['runUrl', 'run_url'], ['job', 'job'], ['attempt', 'attempt'], ['variant', 'variant'], ['root', 'root']];
  for (const [k, name] of map) if (meta[k] !== null && meta[k] !== undefined && meta[k] !== '') out.push([name, String(meta[k])]);
  return out;
};

/**
 * Uploads results files. One multipart request when they fit MULTIPART_MAX (the server stores all
 * or none); otherwise one streamed request per file, merged into one reply (the first failure
 * stops the rest and is returned).
 */
export async function uploadResults(srv: { base: string; token: string }, project: string, meta: UploadMetaFlags, files: string[]): Promise<Reply<IngestResult>> {
  const headers = { authorization: `Bearer ${srv.token}` };
  const sizes = await Promise.all(files.map(async (f) => (await fs.promises.stat(f)).size));
  if (sizes.reduce((a, b) => a + b, 0) <= MULTIPART_MAX) {
    const form = new FormData();
    for (const [k, v] of metaFields(project, meta)) form.append(k, v);
    for (const f of files) form.append('files', new Blob([await fs.promises.readFile(f)]), path.basename(f));
    return call<IngestResult>(`${srv.base}/api/v1/test-results`, { method: 'POST', headers, body: form });
  }
  let merged: IngestResult | null = null;
  for (const f of files) {
    const q = new URLSearchParams([...metaFields(project, meta), ['file', path.basename(f)]]);
    const body = Readable.toWeb(fs.createReadStream(f)) as ReadableStream<Uint8Array>;
    const r = await call<IngestResult>(`${srv.base}/api/v1/test-results?${q}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/octet-stream' }, body, duplex: 'half' });
    if (!r.ok) return r;
    merged = merged ? mergeResults(merged, r.data) : r.data;
  }
  return merged ? { ok: true, data: merged } : { ok: false, status: null, error: 'no files' };
}

function mergeResults(a: IngestResult, b: IngestResult): IngestResult {
  return {
    ...a,
    uploads: [...a.uploads, ...b.uploads],
    totals: addCounts(a.totals, b.totals),
    evaluation: {
      evaluated: a.evaluation.evaluated + b.evaluation.evaluated,
      quarantined: [...a.evaluation.quarantined, ...b.evaluation.quarantined], unquarantined: [...a.evaluation.unquarantined, ...b.evaluation.unquarantined],
      eligible: [...a.evaluation.eligible, ...b.evaluation.eligible], broken: [...a.evaluation.broken, ...b.evaluation.broken], recovered: [...a.evaluation.recovered, ...b.evaluation.recovered],
    },
    // A later file's view of a test's quarantine state is the newer one.
    failing: [...new Map([...a.failing, ...b.failing].map((f) => [f.key, f])).values()],
    failingTotal: a.failingTotal + b.failingTotal,
  };
}

export async function fetchQuarantine(srv: { base: string; token: string }, project: string): Promise<Reply<QuarantinedTest[]>> {
  const r = await call<{ tests: QuarantinedTest[] }>(`${srv.base}/api/v1/projects/${encodeURIComponent(project)}/quarantine?format=json`, { headers: { authorization: `Bearer ${srv.token}` } });
  return r.ok ? { ok: true, data: r.data.tests } : r;
}
