/** Writes a run's samples, one row each (numeric columns), in bounded batches inside the caller's transaction. */
import type { Prisma } from '@/lib/db/generated/client';
import type { SoakSample } from '@/lib/engine/soak';

const BATCH = 5_000;
const INT_MAX = 2_147_483_647;
const int = (v: number | null) => (v === null ? null : Math.min(INT_MAX, Math.round(v)));

export async function storeSamples(tx: Prisma.TransactionClient, runId: string, samples: readonly SoakSample[], shiftMs = 0): Promise<void> {
  for (let i = 0; i < samples.length; i += BATCH) {
    const data = samples.slice(i, i + BATCH).map((s, j) => ({
      runId, seq: i + j, t: new Date(s.t + shiftMs), rssMb: s.rssMb, cpuPct: s.cpuPct, openFds: int(s.openFds), threads: int(s.threads),
      reconnects: s.reconnects === null ? null : BigInt(Math.round(s.reconnects)), zombies: int(s.zombies), diskMb: s.diskMb,
    }));
    // One after another: inside a transaction every query shares one connection.
    await tx.soakSample.createMany({ data });
  }
}
