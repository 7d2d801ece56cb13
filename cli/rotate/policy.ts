/**
 * Which policy `steward rotate` applies, from its flags. Both seeds' flag families are accepted:
 * mm-bot's artifact manager (--ttl-days, --max-size-mb, --keep-latest; the cap warns) and
 * rotate_artifacts (--days, --max-size 2G, --keep; the cap evicts oldest first). Alternatively a
 * donna retention.json (--config), a Steward policy document (--policy) or a preset (--preset).
 */
import fs from 'node:fs';
import { importDonnaRetention, parsePolicy, policyFromFlags, presetPolicy, type RetentionPolicy } from '@/lib/engine/retention';
import { CliError, EXIT } from '../exit-codes';

export interface RotateFlags {
  path: string;
  ttlDays?: string;
  maxSizeMb?: string;
  keepLatest?: string;
  days?: string;
  maxSize?: string;
  keep?: string;
  config?: string;
  policy?: string;
  preset?: string;
}

function readJson(flag: string, file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`--${flag} ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message}`, EXIT.FAILED);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`--${flag} ${file}: not valid JSON (${(e as Error).message})`, EXIT.USAGE);
  }
}

export function policyForFlags(f: RotateFlags): { policy: RetentionPolicy; source: string } {
  const mmBot = f.ttlDays !== undefined || f.maxSizeMb !== undefined || f.keepLatest !== undefined;
  const toolkit = f.days !== undefined || f.maxSize !== undefined || f.keep !== undefined;
  const sources = [mmBot, toolkit, f.config !== undefined, f.policy !== undefined, f.preset !== undefined].filter(Boolean).length;
  if (sources > 1) throw new CliError('Choose one way to give the policy: mm-bot flags (--ttl-days/--max-size-mb/--keep-latest), rotate_artifacts flags (--days/--max-size/--keep), --config, --policy or --preset.', EXIT.USAGE);
  if (f.config) {
    const r = importDonnaRetention(readJson('config', f.config));
    if (!r.ok) throw new CliError(`--config ${f.config}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, EXIT.USAGE);
    return { policy: r.policy, source: `retention config ${f.config}` };
  }
  if (f.policy) {
    const r = parsePolicy(readJson('policy', f.policy));
    if (!r.ok) throw new CliError(`--policy ${f.policy}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, EXIT.USAGE);
    return { policy: r.policy, source: `policy ${f.policy}` };
  }
  if (f.preset) {
    try {
      return { policy: presetPolicy(f.preset), source: `preset ${f.preset}` };
    } catch (e) {
      throw new CliError(`--preset: ${(e as Error).message}`, EXIT.USAGE);
    }
  }
  try {
    const policy = policyFromFlags({ ttlDays: f.ttlDays, maxSizeMb: f.maxSizeMb, keepLatest: f.keepLatest, days: f.days, maxSize: f.maxSize, keep: f.keep });
    return { policy, source: toolkit ? 'rotate_artifacts flags (cap evicts oldest first)' : mmBot ? 'artifact manager flags (cap warns)' : 'artifact manager defaults: --ttl-days 7 --max-size-mb 900 --keep-latest 100' };
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.USAGE);
  }
}
