/**
 * `steward sentinel` on a runner: finds each task's artifact under the base directory and reads
 * its modification time.
 *
 * Rules (README "Cron: freshness sentinel"):
 * - a path is relative to the base (absolute paths are taken as they are, and must still lie
 *   under the base: `--base /` allows any);
 * - a glob in the last segment picks the newest matching regular file (engine: newestMatch);
 * - symlinks are followed while they stay inside the base (`latest.json -> nightly_42.json` is
 *   common on runners), but a path whose real path (realpath) leaves the base is refused: it
 *   reads as missing with the reason "outside base", so a link to a fresh file elsewhere cannot
 *   make a task look fresh. A glob match that leaves the base is skipped.
 * On a runner the base is the job's own checkout (trusted-ish): the check is realpath-then-stat,
 * not descriptor-pinned. Steward's host-side check (lib/services/cron/host-freshness.ts), where
 * the directory is attacker-writable and Steward may be root, never follows a symlink at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileSegmentGlob, newestMatch, splitArtifactPattern, type DirEntry } from '@/lib/engine/cron';

export interface LocalObservation {
  /** The file judged, as the config names it (relative to the base when under it), or null. */
  path: string | null;
  mtime: Date | null;
  /** Why there is no mtime ("does not exist", "outside base …"), or null. */
  problem: string | null;
}

const inside = (base: string, p: string) => p === base || p.startsWith(base.endsWith(path.sep) ? base : base + path.sep);

/** How the config's path is shown: relative to the base when it is under it, else absolute. */
function shown(base: string, abs: string): string {
  const rel = path.relative(base, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}

function errText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ENOTDIR') return 'a component of the path is not a directory';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return (e as Error).message;
}

type Resolved = { real: string } | { problem: string };

/** realpath of `abs`, refused when it leaves `base` (itself a real path). */
async function resolveInBase(base: string, abs: string, label: string): Promise<Resolved> {
  let real: string;
  try {
    real = await fs.promises.realpath(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A dangling symlink also fails with ENOENT: say so, it is a common CI mistake.
    if (code === 'ENOENT') {
      const link = await fs.promises.lstat(abs).then((s) => s.isSymbolicLink(), () => false);
      return { problem: `${label} ${link ? 'is a symlink to nothing (dangling)' : 'does not exist'}` };
    }
    return { problem: `${label}: ${errText(e)}` };
  }
  if (!inside(base, real)) return { problem: `${label} resolves to ${real}, outside base ${base}; not read` };
  return { real };
}

/**
 * Observes `artifact` (validated by the engine's config parser) under `base`, which must be an
 * absolute real path (realpath'ed by the caller). Never throws for a filesystem condition.
 */
export async function observeLocalArtifact(base: string, artifact: string): Promise<LocalObservation> {
  const none = (problem: string): LocalObservation => ({ path: null, mtime: null, problem });
  const split = splitArtifactPattern(artifact);
  if ('error' in split) return none(split.error);
  const dirAbs = path.resolve(base, split.dir);
  if (!split.glob) {
    const abs = path.join(dirAbs, split.name);
    const label = JSON.stringify(shown(base, abs));
    // Lexically outside (`../x`, `/etc/x`): refused before touching it.
    if (!inside(base, abs)) return none(`${label} is outside base ${base}; not read`);
    const r = await resolveInBase(base, abs, label);
    if ('problem' in r) return none(r.problem);
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(r.real);
    } catch (e) {
      return none(`${label}: ${errText(e)}`);
    }
    if (!st.isFile()) return none(`${label} is not a regular file`);
    return { path: shown(base, abs), mtime: st.mtime, problem: null };
  }
  const dirLabel = JSON.stringify(shown(base, dirAbs));
  if (!inside(base, dirAbs)) return none(`directory ${dirLabel} is outside base ${base}; not read`);
  const d = await resolveInBase(base, dirAbs, `directory ${dirLabel}`);
  if ('problem' in d) return none(d.problem);
  let names: string[];
  try {
    names = await fs.promises.readdir(d.real);
  } catch (e) {
    return none(`directory ${dirLabel}: ${errText(e)}`);
  }
  const matcher = compileSegmentGlob(split.name);
  let outside = 0;
  const entries: DirEntry[] = [];
  for (const name of names) {
    if (!matcher(name)) continue;
    const r = await resolveInBase(base, path.join(d.real, name), name);
    if ('problem' in r) {
      if (r.problem.includes('outside base')) outside++;
      continue;
    }
    const st = await fs.promises.stat(r.real).catch(() => null);
    if (st) entries.push({ name, mtimeMs: st.mtimeMs, isFile: st.isFile() });
  }
  const best = newestMatch(entries, matcher);
  const pattern = JSON.stringify(shown(base, path.join(dirAbs, split.name)));
  if (!best) return none(`no regular file matches ${pattern}${outside ? ` (${outside} match(es) skipped: outside base ${base})` : ''}`);
  return { path: shown(base, path.join(dirAbs, best.name)), mtime: new Date(best.mtimeMs), problem: null };
}
