/** Accounts: create, list, change role, disable. Used by the web app, the CLI and demo data. */
import crypto from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import { ROLES, type Role } from '@/lib/engine/roles';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import { invalid, ServiceError, zodIssues } from './errors';
import { checkSetupCode, clearSetupCodes, FIRST_ADMIN_LOCK, FIRST_ADMIN_TX } from './setup-code';

export const newUserSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, 'is required').email('is not a valid email address'),
  name: z.string().trim().min(1, 'is required').max(100),
  password: z.string().min(1, 'is required').min(10, 'must be at least 10 characters').max(200),
  role: z.enum(ROLES).default('viewer'),
});
export type NewUser = z.input<typeof newUserSchema>;

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

function toDto(u: { id: string; email: string; name: string; role: string; disabled: boolean; createdAt: Date }): UserDto {
  return { id: u.id, email: u.email, name: u.name, role: u.role as Role, disabled: u.disabled, createdAt: u.createdAt.toISOString() };
}

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

const emailTaken = (email: string) => new ServiceError('conflict', `A user with email ${email} already exists`, [{ field: 'email', message: 'is already taken' }]);

/**
 * Inserts the user and their credential account. The scrypt hash is computed by the caller before
 * the transaction opens: it takes 50–100 ms (seconds on a loaded machine), and inside the
 * transaction it held the connection, and for the first admin the advisory lock, that long.
 */
async function insertUser(tx: Tx, input: z.output<typeof newUserSchema>, passwordHash: string, now: Date): Promise<UserDto> {
  const existing = await tx.user.findUnique({ where: { email: input.email } });
  if (existing) throw emailTaken(input.email);
  const id = crypto.randomUUID();
  const user = await tx.user
    .create({ data: { id, email: input.email, name: input.name, role: input.role, emailVerified: true, createdAt: now, updatedAt: now } })
    .catch((e: unknown) => {
      // Two requests with the same email can both pass the check above; the unique index decides,
      // and the loser gets the same field error rather than an internal error.
      if ((e as { code?: string }).code === 'P2002') throw emailTaken(input.email);
      throw e;
    });
  // better-auth's credential account: providerId "credential", accountId = user id, scrypt hash.
  await tx.account.create({
    data: { id: crypto.randomUUID(), accountId: id, providerId: 'credential', userId: id, password: passwordHash, createdAt: now, updatedAt: now },
  });
  return toDto(user);
}

/** `now` is the creation time (the demo's simulated clock; the real clock otherwise). */
export async function createUser(db: Db, actor: Actor, raw: NewUser, now = new Date()): Promise<UserDto> {
  const parsed = newUserSchema.safeParse(raw);
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  const passwordHash = await hashPassword(parsed.data.password);
  return db.$transaction(async (tx) => {
    const user = await insertUser(tx, parsed.data, passwordHash, now);
    await recordAudit(tx, actor, {
      at: now,
      action: 'user.create',
      targetType: 'user',
      targetId: user.id,
      summary: `Created ${user.role} ${user.email}`,
      after: { email: user.email, name: user.name, role: user.role },
    });
    return user;
  });
}

/**
 * Creates the first admin, only while there are no users at all. The advisory lock makes two
 * simultaneous setup submissions (or two instances with STEWARD_ADMIN_*) create exactly one.
 * Returns null when users already exist. `setupCode`: the code the person at /setup typed; it must
 * match a stored one (lib/services/setup-code.ts). Trusted callers (STEWARD_ADMIN_* at start-up)
 * pass none. Either way the stored codes are consumed with the admin's creation.
 */
export async function createFirstAdmin(db: Db, actor: Actor, raw: Omit<NewUser, 'role'>, opts?: { setupCode: string }): Promise<UserDto | null> {
  const parsed = newUserSchema.safeParse({ ...raw, role: 'admin' });
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  const passwordHash = await hashPassword(parsed.data.password);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`;
    if ((await tx.user.count()) > 0) return null;
    if (opts && !(await checkSetupCode(tx, opts.setupCode))) {
      throw new ServiceError('invalid', 'The setup code is not right; use the latest one from the server log or `steward setup-code`.', [
        { field: 'setupCode', message: 'Not a current setup code: use the latest one from the server log' },
      ]);
    }
    const user = await insertUser(tx, parsed.data, passwordHash, new Date());
    await clearSetupCodes(tx);
    await recordAudit(tx, actor, {
      action: 'user.setup',
      targetType: 'user',
      targetId: user.id,
      summary: `First-run setup created admin ${user.email}`,
      after: { email: user.email, role: 'admin' },
    });
    return user;
  }, FIRST_ADMIN_TX);
}

export async function countUsers(db: Db): Promise<number> {
  return db.user.count();
}

export async function listUsers(db: Db): Promise<UserDto[]> {
  const users = await db.user.findMany({ orderBy: { createdAt: 'asc' } });
  return users.map(toDto);
}

async function activeAdminCount(tx: Tx): Promise<number> {
  return tx.user.count({ where: { role: 'admin', disabled: false } });
}

export const updateUserSchema = z.object({
  userId: z.string().min(1),
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional(),
});

/** Changes role and/or disabled. Refuses to leave the system with no active admin. */
export async function updateUser(db: Db, actor: Actor, raw: z.input<typeof updateUserSchema>, now = new Date()): Promise<UserDto> {
  const parsed = updateUserSchema.safeParse(raw);
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  const { userId, role, disabled } = parsed.data;
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(727073692)');
    const before = await tx.user.findUnique({ where: { id: userId } });
    if (!before) throw new ServiceError('not_found', `No user with id ${userId}`);
    const after = await tx.user.update({
      where: { id: userId },
      data: { ...(role ? { role } : {}), ...(disabled !== undefined ? { disabled } : {}), updatedAt: now },
    });
    if (before.role === 'admin' && !before.disabled && (after.role !== 'admin' || after.disabled) && (await activeAdminCount(tx)) === 0) {
      throw new ServiceError('conflict', 'This is the last active admin; make another user admin first.');
    }
    // A disabled account loses its sessions at once, not when they expire.
    if (after.disabled && !before.disabled) await tx.session.deleteMany({ where: { userId } });
    const changes: string[] = [];
    if (before.role !== after.role) changes.push(`role ${before.role} → ${after.role}`);
    if (before.disabled !== after.disabled) changes.push(after.disabled ? 'disabled' : 'enabled');
    // The user's tokens follow them (lib/services/tokens.ts reads the owner on every request);
    // say so in the log so whoever reads it knows CI using them stopped or resumed.
    const tokens = await tx.apiToken.count({ where: { createdById: userId, revokedAt: null } });
    if (tokens > 0 && before.disabled !== after.disabled) changes.push(`${tokens} API token${tokens === 1 ? '' : 's'} ${after.disabled ? 'suspended' : 'restored'}`);
    await recordAudit(tx, actor, {
      at: now,
      action: 'user.update',
      targetType: 'user',
      targetId: userId,
      summary: `${after.email}: ${changes.join(', ') || 'no change'}`,
      before: { role: before.role, disabled: before.disabled },
      after: { role: after.role, disabled: after.disabled },
    });
    return toDto(after);
  });
}
