import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';

export interface DatabaseSummary {
  kind: 'postgres' | 'embedded';
  describe: string;
}

export function DatabaseCard({ database }: { database: DatabaseSummary }) {
  const embedded = database.kind === 'embedded';
  return (
    <Card id="overview-database" title="Database">
      <p className="flex items-center gap-2 text-lg font-semibold">
        {embedded ? 'Embedded PGlite' : 'PostgreSQL'}
        <Badge tone={embedded ? 'amber' : 'green'}>{embedded ? 'embedded' : 'server'}</Badge>
      </p>
      <p className="mt-1 text-sm [overflow-wrap:anywhere] text-zinc-600 dark:text-zinc-400">{database.describe}</p>
      {embedded && (
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          Fine for one instance. Set <code className="font-mono text-xs">DATABASE_URL</code> to use a PostgreSQL server and run several
          instances.
        </p>
      )}
    </Card>
  );
}
