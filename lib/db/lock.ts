/**
 * Exclusive lock on an embedded (PGlite) data directory. PGlite does not stop two processes from
 * opening the same directory, and one's writes are then silently lost, so every process that opens
 * it takes this lock first. The lock file holds the owner's pid and command; a lock whose pid is no
 * longer alive is stale and is taken over.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// Locks this process holds. A lock file with our own pid that is NOT in this set is stale (a
// container restarted with the same pid); one that IS in it is a second open in this process.
const heldHere = ((globalThis as unknown as { __stewardLocks?: Set<string> }).__stewardLocks ??= new Set<string>());

export class DataDirLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly pid: number,
    readonly command: string,
  ) {
    super(
      `The embedded database is in use by another Steward process (pid ${pid}: ${command}). ` +
        `Only one process may open ${lockPath.replace(/\.lock$/, '')} at a time. ` +
        `Stop that process first, or set DATABASE_URL so several processes share a PostgreSQL server.`,
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws DataDirLockedError. Returns a release function (idempotent). */
export function acquireDataDirLock(lockPath: string): () => void {
  const key = path.resolve(lockPath);
  if (heldHere.has(key)) throw new DataDirLockedError(lockPath, process.pid, 'this process (opened twice)');
  const nonce = crypto.randomUUID();
  const content = JSON.stringify({ pid: process.pid, command: process.argv.slice(1).join(' '), nonce });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, content, { flag: 'wx', mode: 0o600 });
      heldHere.add(key);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        heldHere.delete(key);
        try {
          // Only remove the file if it is still ours (same nonce), never a successor's.
          const held = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { nonce?: string };
          if (held.nonce === nonce) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: { pid?: number; command?: string } = {};
      try {
        holder = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as typeof holder;
      } catch {
        /* half-written or unreadable: treat as stale below */
      }
      if (holder.pid && (holder.pid === process.pid ? heldHere.has(key) : isAlive(holder.pid))) {
        throw new DataDirLockedError(lockPath, holder.pid, holder.command ?? 'unknown');
      }
      // Stale lock from a process that died: remove it and try again.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}
