import { LoadingRegion, Skeleton } from '@/components/ui/skeleton';

export default function Loading() {
  return (
    <LoadingRegion label="Loading checks…">
      <Skeleton className="mb-2 h-8 w-32" />
      <Skeleton className="mb-6 h-4 w-96 max-w-full" />
      <div className="mb-4 flex flex-wrap gap-2">{['w-16', 'w-16', 'w-20', 'w-24', 'w-16', 'w-20', 'w-24'].map((w, i) => <Skeleton key={i} className={`h-8 ${w}`} />)}</div>
      <div className="mb-4 flex gap-3"><Skeleton className="h-10 w-64" /><Skeleton className="h-10 w-48" /></div>
      <Skeleton className="h-96" />
    </LoadingRegion>
  );
}
