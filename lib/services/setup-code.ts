/**
 * The first-run setup code. Until the first admin exists, /setup asks for a one-time code that
 * only someone with access to the machine can know: the server prints a fresh one in its log at
 * every start (as Jenkins and Grafana do), `steward setup-code` issues one from the CLI, and
 * STEWARD_SETUP_CODE lets an operator choose it. Only SHA-256 hashes are stored (Setting
 * "setup-codes"); the code has 60 random bits, so a fast hash is enough and there is nothing to
 * brute-force offline that the database's own access would not already give away.
 *
 * Several codes may be valid at once (the last MAX_CODES issued), so two instances starting
 * together each print a code that works. Creating the first admin deletes them all, in the same
 * transaction and under the same advisory lock as the "no users yet" check, so a code is single
 * use by construction.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import type { Actor } from './actor';
import { recordAudit } from './audit';

const KEY = 'setup-codes';
const MAX_CODES = 5;
/** The same lock as createFirstAdmin: issuing, checking and consuming codes serialise with it. */
export const FIRST_ADMIN_LOCK = 727073691;
/**
 * Transactions that take FIRST_ADMIN_LOCK queue behind each other by design (setup submitted
 * twice, instances starting together): Prisma's default 2 s wait for a connection is too short
 * for the last in the queue on a busy machine.
 */
export const FIRST_ADMIN_TX = { maxWait: 15_000, timeout: 20_000 } as const;
/** No 0/O or 1/I, so a code read off a terminal is typed right. 32 symbols = 5 bits each. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

type Tx = Prisma.TransactionClient;
// A type alias, not an interface: Prisma's JSON input type needs an index-signature-compatible shape.
type StoredCode = { hash: string; issuedAt: string; source: string };

/** Upper case without spaces or dashes: "abcd-efgh jklm" and "ABCDEFGHJKLM" are the same code. */
export function normalizeSetupCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]+/g, '');
}

function hashCode(code: string): string {
  return crypto.createHash('sha256').update(normalizeSetupCode(code)).digest('hex');
}

/** 12 random symbols (60 bits) as XXXX-XXXX-XXXX. */
export function generateSetupCode(): string {
  const bytes = crypto.randomBytes(12);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]!).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

async function storedCodes(tx: Tx): Promise<StoredCode[]> {
  const row = await tx.setting.findUnique({ where: { key: KEY } });
  const codes = (row?.value as { codes?: unknown } | null)?.codes;
  return Array.isArray(codes) ? (codes.filter((c) => typeof c?.hash === 'string') as StoredCode[]) : [];
}

/**
 * Stores a setup code (the given one, else a fresh random one) while there are no users, and
 * returns it; returns null when Steward is already set up. Audited (without the code).
 */
export async function issueSetupCode(db: Db, actor: Actor, opts: { code?: string; now?: Date } = {}): Promise<string | null> {
  const code = opts.code ?? generateSetupCode();
  const hash = hashCode(code);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`;
    if ((await tx.user.count()) > 0) return null;
    const kept = (await storedCodes(tx)).filter((c) => c.hash !== hash).slice(-(MAX_CODES - 1));
    const codes = [...kept, { hash, issuedAt: (opts.now ?? new Date()).toISOString(), source: actor.label }];
    await tx.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: { codes } }, update: { value: { codes } } });
    await recordAudit(tx, actor, { action: 'setup.code', targetType: 'setting', targetId: KEY, summary: `Issued a first-run setup code (${codes.length} valid)` });
    return code;
  }, FIRST_ADMIN_TX);
}

/**
 * True when `presented` matches a stored code. Compares against every stored hash in constant
 * time, without stopping at the first match. Call inside the transaction that holds
 * FIRST_ADMIN_LOCK and then consumes the codes.
 */
export async function checkSetupCode(tx: Tx, presented: string): Promise<boolean> {
  const given = Buffer.from(hashCode(presented), 'hex');
  let match = false;
  for (const c of await storedCodes(tx)) {
    const stored = Buffer.from(c.hash, 'hex');
    if (stored.length === given.length && crypto.timingSafeEqual(stored, given)) match = true;
  }
  return match;
}

/** Deletes every setup code: setup is done. */
export async function clearSetupCodes(tx: Tx): Promise<void> {
  await tx.setting.deleteMany({ where: { key: KEY } });
}

/** How many codes are waiting (for tests and the CLI's message); never the codes themselves. */
export async function countSetupCodes(db: Db): Promise<number> {
  return db.$transaction(async (tx) => (await storedCodes(tx)).length);
}

/**
 * At server start: while there are no users, issue a setup code (STEWARD_SETUP_CODE when set,
 * else a fresh random one) and log how to use it. Returns the code issued, or null when Steward
 * is already set up. The banner is plain lines so it stands out in any log viewer.
 */
export async function announceSetupCode(db: Db, opts: { envCode?: string; log: (line: string) => void }): Promise<string | null> {
  const actor: Actor = { type: 'system', id: null, label: opts.envCode ? 'env:STEWARD_SETUP_CODE' : 'startup', origin: 'startup' };
  const code = await issueSetupCode(db, actor, { code: opts.envCode });
  if (code === null) return null;
  const rule = '[steward] ' + '='.repeat(66);
  const lines = opts.envCode
    ? ['[steward] First-run setup: open /setup in a browser and enter the code you set in STEWARD_SETUP_CODE.']
    : [
        '[steward] First-run setup: open /setup in a browser and enter this one-time setup code:',
        '[steward]',
        `[steward]     ${code}`,
        '[steward]',
        '[steward] It is printed at every start until an admin exists, and works once. Missed it? Restart',
        '[steward] the server, or (server stopped, or on PostgreSQL) run `npx steward setup-code`.',
      ];
  for (const line of [rule, ...lines, rule]) opts.log(line);
  return code;
}
