/**
 * Testbeds: a run is compared only with runs on the same testbed (CPU model, cores, OS, runner
 * label), as Bencher and Conbench do. The attributes from the request win over those the file
 * carried (pytest-benchmark's machine_info, go's `cpu:` line).
 */
import crypto from 'node:crypto';
import type { Prisma } from '@/lib/db/generated/client';

type Tx = Prisma.TransactionClient;

export function normaliseTestbed(fromFiles: Record<string, string>, fromRequest: Record<string, string>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [k, v] of [...Object.entries(fromFiles), ...Object.entries(fromRequest)]) {
    const key = k.trim().toLowerCase();
    const value = v.trim().replace(/\s+/g, ' ');
    if (key && value) merged[key] = value;
  }
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function testbedFingerprint(attrs: Record<string, string>): string {
  return crypto.createHash('sha256').update(JSON.stringify(attrs)).digest('hex');
}

export function testbedLabel(attrs: Record<string, string>): string {
  if (attrs.runner) return attrs.runner.slice(0, 80);
  const parts = [attrs.cpu, attrs.cores ? `${attrs.cores} cores` : undefined, attrs.os].filter(Boolean);
  return parts.length ? parts.join(', ').slice(0, 120) : 'default';
}

export async function ensureTestbed(tx: Tx, projectId: string, attrs: Record<string, string>, now: Date): Promise<{ id: string; label: string }> {
  const fingerprint = testbedFingerprint(attrs);
  const found = await tx.perfTestbed.findUnique({ where: { projectId_fingerprint: { projectId, fingerprint } }, select: { id: true, label: true } });
  if (found) return found;
  const label = testbedLabel(attrs);
  await tx.perfTestbed.createMany({ data: [{ id: crypto.randomUUID(), projectId, fingerprint, label, attrs, createdAt: now }], skipDuplicates: true });
  return tx.perfTestbed.findUniqueOrThrow({ where: { projectId_fingerprint: { projectId, fingerprint } }, select: { id: true, label: true } });
}
