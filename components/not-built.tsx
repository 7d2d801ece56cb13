import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

/** A section that exists in the navigation but has no features yet. Shows no figures at all. */
export function NotBuilt({ title, purpose }: { title: string; purpose: string }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState title="Not built yet">{purpose}</EmptyState>
    </>
  );
}
