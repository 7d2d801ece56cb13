/**
 * Writes a run's samples, one row each (numeric columns), inside the caller's transaction: one
 * INSERT … SELECT FROM unnest(arrays) per batch of 20,000 (ten array parameters instead of ten per
 * row; the pattern of lib/services/retention/plan-entries.ts, measured there at 12× createMany).
 */
import type { Prisma } from '@/lib/db/generated/client';
import type { SoakSample } from '@/lib/engine/soak';

const BATCH = 20_000;
const INT_MAX = 2_147_483_647;
const int = (v: number | null) => (v === null ? null : Math.min(INT_MAX, Math.round(v)));

const SQL = `INSERT INTO "soak_samples" ("runId", "seq", "t", "rssMb", "cpuPct", "openFds", "threads", "reconnects", "zombies", "diskMb")
SELECT $1, * FROM unnest($2::int[], $3::timestamptz[], $4::float8[], $5::float8[], $6::int[], $7::int[], $8::bigint[], $9::int[], $10::float8[])`;

type Tx = Pick<Prisma.TransactionClient, '$executeRawUnsafe'>;

export async function storeSamples(tx: Tx, runId: string, samples: readonly SoakSample[], shiftMs = 0): Promise<void> {
  for (let i = 0; i < samples.length; i += BATCH) {
    const part = samples.slice(i, i + BATCH);
    // One after another: inside a transaction every query shares one connection.
    await tx.$executeRawUnsafe(
      SQL, runId, part.map((_, j) => i + j), part.map((s) => new Date(s.t + shiftMs).toISOString()), part.map((s) => s.rssMb), part.map((s) => s.cpuPct),
      part.map((s) => int(s.openFds)), part.map((s) => int(s.threads)), part.map((s) => (s.reconnects === null ? null : Math.round(s.reconnects))), part.map((s) => int(s.zombies)), part.map((s) => s.diskMb),
    );
  }
}
