// Public: load balancers and uptime checks call it without credentials. Reports database reachability
// and which retention scanner this server loaded (native or the JavaScript fallback), nothing else.
import { defineRoute } from '@/lib/auth/route';
import { getDbHandle } from '@/lib/db/client';
import { NextResponse } from 'next/server';
import { resolveScanner } from '@/lib/services/retention/fs/scan';
import { version } from '@/package.json';

export const dynamic = 'force-dynamic';

export const GET = defineRoute({ name: 'health', access: { public: true } }, async ({ db }) => {
  const started = performance.now();
  try {
    await db.$queryRawUnsafe('SELECT 1');
    const handle = await getDbHandle();
    return { status: 'ok', version, database: { ok: true, kind: handle.kind, latencyMs: Math.round(performance.now() - started) }, scanner: scannerInUse() };
  } catch {
    return NextResponse.json({ status: 'error', version, database: { ok: false } }, { status: 503 });
  }
});

function scannerInUse(): string {
  try {
    return resolveScanner();
  } catch {
    return 'unavailable'; // STEWARD_SCANNER=native without the native build: scans will fail
  }
}
