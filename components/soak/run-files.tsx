import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { SoakRunDetail } from '@/lib/services/soak';

const SEVERITY_TONE: Record<string, 'red' | 'amber' | 'neutral'> = { critical: 'red', high: 'red', medium: 'amber' };

/** The files the run was judged from (with their warnings) and the security findings they held. */
export function RunFiles({ run }: { run: SoakRunDetail }) {
  const s = run.security;
  return (
    <>
      {s && (
        <Card title="Security audit" id="security" description={`${s.critical} critical, ${s.high} high, ${s.medium} medium, ${s.low} low${s.unrated ? `, ${s.unrated} without a severity` : ''}.`}>
          {run.findings.length ? (
            <Table caption="Security findings (up to 50)" stack>
              <THead><TR><TH>Severity</TH><TH>Advisory</TH><TH>Package</TH></TR></THead>
              <TBody>
                {run.findings.map((f, i) => (
                  <TR key={`${f.id}-${i}`}>
                    <TD data-label="Severity"><Badge tone={SEVERITY_TONE[f.severity] ?? 'neutral'}>{f.severity}</Badge></TD>
                    <TD data-label="Advisory" className="font-mono text-xs [overflow-wrap:anywhere]">{f.id || '—'}</TD>
                    <TD data-label="Package" className="[overflow-wrap:anywhere]">{f.package || '—'}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          ) : <p className="text-sm text-zinc-600 dark:text-zinc-400">No findings.</p>}
        </Card>
      )}
      <Card title="Files" id="files" description={`Received ${new Date(run.receivedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC, run key ${run.runKey.length > 80 ? `${run.runKey.slice(0, 80)}…` : run.runKey}.`}>
        <Table caption="Files of this run" stack>
          <THead><TR><TH>File</TH><TH>Kind</TH><TH>Samples</TH><TH>Warnings</TH></TR></THead>
          <TBody>
            {run.files.map((f) => (
              <TR key={f.file}>
                <TD data-label="File" className="font-mono text-xs [overflow-wrap:anywhere]">{f.file}</TD>
                <TD data-label="Kind" className="whitespace-nowrap">{f.kind} ({f.format})</TD>
                <TD data-label="Samples" className="tabular-nums">{f.samples}</TD>
                <TD data-label="Warnings" className="text-xs text-zinc-600 [overflow-wrap:anywhere] dark:text-zinc-400">{f.warnings.length ? f.warnings.join('; ') : '—'}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
