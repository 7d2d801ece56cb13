// Public: load balancers and uptime checks call it without credentials. It reports exactly the
// fields the README's "Health check" section lists: whether the database answers (and which kind
// and how fast), and which retention scanner this server loaded. Deliberately no version numbers,
// host names, paths or configuration: none of that helps a load balancer, all of it helps an attacker.
import { defineRoute, otherMethods } from '@/lib/auth/route';
import { getDbHandle } from '@/lib/db/client';
import { NextResponse } from 'next/server';
import { resolveScanner } from '@/lib/services/retention/fs/scan';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({ name: 'health', access: { public: true } }, async ({ db }) => {
  const started = performance.now();
  try {
    await db.$queryRawUnsafe('SELECT 1');
    const handle = await getDbHandle();
    return { status: 'ok', database: { ok: true, kind: handle.kind, latencyMs: Math.round(performance.now() - started) }, scanner: scannerInUse() };
  } catch {
    return NextResponse.json({ status: 'error', database: { ok: false } }, { status: 503 });
  }
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET']);

function scannerInUse(): string {
  try {
    return resolveScanner();
  } catch {
    return 'unavailable'; // STEWARD_SCANNER=native without the native build: scans will fail
  }
}
