/**
 * The signing secret for session cookies. STEWARD_SECRET wins; otherwise a random secret is made
 * once and kept in the data directory (mode 600), so a single-node install needs no setup.
 * Several instances must share STEWARD_SECRET (README, "Several instances").
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getEnv } from '@/lib/env';

export function getAuthSecret(): string {
  const env = getEnv();
  if (env.STEWARD_SECRET) return env.STEWARD_SECRET;
  const file = path.join(env.dataDir, 'auth-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(env.dataDir, { recursive: true });
    const secret = crypto.randomBytes(32).toString('base64url');
    try {
      fs.writeFileSync(file, secret, { flag: 'wx', mode: 0o600 });
      return secret;
    } catch {
      return fs.readFileSync(file, 'utf8').trim(); // another process wrote it first
    }
  }
}
