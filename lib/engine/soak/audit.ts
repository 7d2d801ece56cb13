/**
 * Security-audit reports (soak criterion "0 CRITICAL/HIGH"): npm audit (v7+ `vulnerabilities`
 * keyed by package, and the older `advisories` keyed by id), pip-audit (`dependencies[].vulns[]`,
 * or a bare array in old versions), cargo audit (`vulnerabilities.list[].advisory`) and a generic
 * `vulnerabilities: [{ id, package, severity }]` list (the seed's `jq` line reads that shape).
 * pip-audit and cargo audit often give no severity: such findings count as "unrated", and the
 * criterion says "unknown" rather than pass when unrated findings are all there is.
 */
import { SoakParseError } from './errors';
import type { AuditSummary, SeverityCounts } from './types';

const MAX_FINDINGS = 100_000;

export function severityOf(v: unknown): keyof SeverityCounts {
  if (typeof v !== 'string') return 'unrated';
  const s = v.trim().toLowerCase();
  if (s === 'critical') return 'critical';
  if (s === 'high') return 'high';
  if (s === 'moderate' || s === 'medium') return 'medium';
  if (s === 'low') return 'low';
  if (s === 'info' || s === 'informational' || s === 'none') return 'info';
  return 'unrated';
}

const isObj = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown, max = 200) => (typeof v === 'string' ? v.slice(0, max) : typeof v === 'number' ? String(v) : '');

export type AuditFormat = 'npm-audit' | 'pip-audit' | 'cargo-audit' | 'audit-json';

export function auditFormatOf(v: unknown): AuditFormat | null {
  if (Array.isArray(v)) return v.length > 0 && v.every((d) => isObj(d) && Array.isArray(d.vulns)) ? 'pip-audit' : null;
  if (!isObj(v)) return null;
  if (isObj(v.advisories) || (isObj(v.vulnerabilities) && ('auditReportVersion' in v || Object.values(v.vulnerabilities).some((x) => isObj(x) && 'severity' in x && 'via' in x)))) return 'npm-audit';
  if (isObj(v.vulnerabilities) && Array.isArray(v.vulnerabilities.list)) return 'cargo-audit';
  if (Array.isArray(v.dependencies) && v.dependencies.some((d) => isObj(d) && Array.isArray(d.vulns))) return 'pip-audit';
  if (Array.isArray(v.vulnerabilities)) return 'audit-json';
  if (isObj(v.vulnerabilities) && Object.keys(v.vulnerabilities).length === 0 && isObj(v.metadata)) return 'npm-audit';
  return null;
}

export function parseAudit(file: string, v: unknown, format: AuditFormat): AuditSummary {
  const counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, info: 0, unrated: 0 };
  const findings: AuditSummary['findings'] = [];
  let n = 0;
  const add = (id: string, pkg: string, sev: keyof SeverityCounts) => {
    if (++n > MAX_FINDINGS) throw new SoakParseError(file, '', `more than ${MAX_FINDINGS} findings`);
    counts[sev]++;
    if (findings.length < 50) findings.push({ id, package: pkg, severity: sev });
  };
  const o = v as Record<string, unknown>;
  if (format === 'npm-audit') {
    if (isObj(o.advisories)) {
      for (const [id, a] of Object.entries(o.advisories)) add(text((a as Record<string, unknown>)?.github_advisory_id) || id.slice(0, 100), text((a as Record<string, unknown>)?.module_name), severityOf((a as Record<string, unknown>)?.severity));
      return { tool: 'npm', counts, findings };
    }
    for (const [pkg, a] of Object.entries(o.vulnerabilities as Record<string, unknown>)) {
      if (!isObj(a)) throw new SoakParseError(file, `vulnerabilities[${JSON.stringify(pkg.slice(0, 60))}]`, 'must be an object');
      add(text((Array.isArray(a.via) ? a.via.find(isObj)?.url : null)) || pkg.slice(0, 100), pkg.slice(0, 200), severityOf(a.severity));
    }
    return { tool: 'npm', counts, findings };
  }
  if (format === 'cargo-audit') {
    const list = (o.vulnerabilities as { list: unknown[] }).list;
    list.forEach((x, i) => {
      if (!isObj(x) || !isObj(x.advisory)) throw new SoakParseError(file, `vulnerabilities.list[${i}].advisory`, 'must be an object');
      const adv = x.advisory;
      add(text(adv.id), text(adv.package) || text((x.package as Record<string, unknown> | undefined)?.name), severityOf(adv.severity));
    });
    return { tool: 'cargo-audit', counts, findings };
  }
  if (format === 'pip-audit') {
    const deps = Array.isArray(v) ? v : (o.dependencies as unknown[]);
    deps.forEach((d, i) => {
      if (!isObj(d)) throw new SoakParseError(file, `dependencies[${i}]`, 'must be an object');
      const vulns = d.vulns ?? [];
      if (!Array.isArray(vulns)) throw new SoakParseError(file, `dependencies[${i}].vulns`, 'must be an array');
      for (const x of vulns) add(text(isObj(x) ? x.id : ''), text(d.name), severityOf(isObj(x) ? x.severity : undefined));
    });
    return { tool: 'pip-audit', counts, findings };
  }
  (o.vulnerabilities as unknown[]).forEach((x, i) => {
    if (!isObj(x)) throw new SoakParseError(file, `vulnerabilities[${i}]`, 'must be an object');
    add(text(x.id), text(x.package), severityOf(x.severity));
  });
  return { tool: 'generic', counts, findings };
}
