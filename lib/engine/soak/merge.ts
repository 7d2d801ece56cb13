/** The files of one soak run, merged: samples of every file in time order, one summary, audit counts summed. */
import { SoakParseError } from './errors';
import { SAMPLE_LIMITS } from './samples';
import type { AuditSummary, ParsedSoakFile, SeverityCounts, SoakReportedSummary, SoakSample } from './types';

export interface MergedSoakInput {
  samples: SoakSample[];
  reported: SoakReportedSummary | null;
  security: SeverityCounts | null;
  findings: AuditSummary['findings'];
  auditTools: string[];
  warnings: string[];
}

export function mergeSoakFiles(files: readonly ParsedSoakFile[]): MergedSoakInput {
  const out: MergedSoakInput = { samples: [], reported: null, security: null, findings: [], auditTools: [], warnings: [] };
  for (const f of files) {
    out.warnings.push(...f.warnings.map((w) => `${f.file}: ${w}`));
    if (f.kind === 'samples') {
      if (out.samples.length + f.samples.length > SAMPLE_LIMITS.maxSamples) throw new SoakParseError(f.file, '', `the run has more than ${SAMPLE_LIMITS.maxSamples} samples in all; send one every few seconds, not more`);
      for (const s of f.samples) out.samples.push(s);
    } else if (f.kind === 'summary') {
      if (out.reported) throw new SoakParseError(f.file, '', 'a second resources.analysis.json in one run; send one');
      out.reported = f.summary;
    } else {
      const c = out.security ?? { critical: 0, high: 0, medium: 0, low: 0, info: 0, unrated: 0 };
      for (const k of Object.keys(c) as (keyof SeverityCounts)[]) c[k] += f.audit.counts[k];
      out.security = c;
      out.findings.push(...f.audit.findings.slice(0, Math.max(0, 50 - out.findings.length)));
      if (!out.auditTools.includes(f.audit.tool)) out.auditTools.push(f.audit.tool);
    }
  }
  out.samples.sort((a, b) => a.t - b.t);
  return out;
}
