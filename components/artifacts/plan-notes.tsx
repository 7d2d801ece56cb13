import { formatNumber } from '@/components/format';
import { Alert } from '@/components/ui/alert';

/** The planner's warnings (e.g. still over the cap) and paths the scan could not read. */
export function PlanNotes({ warnings, scanErrors }: { warnings: string[]; scanErrors: { path: string; message: string }[] }) {
  if (warnings.length === 0 && scanErrors.length === 0) return null;
  return (
    <div className="space-y-3">
      {warnings.length > 0 && (
        <Alert tone="warning" title={warnings.length === 1 ? 'Warning' : `${warnings.length} warnings`}>
          <ul className="list-inside list-disc">{warnings.map((w, i) => <li key={i}>{w}</li>)}</ul>
        </Alert>
      )}
      {scanErrors.length > 0 && (
        <Alert tone="warning" title={`${formatNumber(scanErrors.length)} path${scanErrors.length === 1 ? '' : 's'} could not be scanned; they are left alone`}>
          <ul className="max-h-48 list-inside list-disc overflow-y-auto">
            {scanErrors.map((e) => <li key={e.path} className="break-words"><span className="font-mono text-xs">{e.path}</span>: {e.message}</li>)}
          </ul>
        </Alert>
      )}
    </div>
  );
}
