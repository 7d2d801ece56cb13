import { LoadingRegion, Skeleton } from '@/components/ui/skeleton';

export default function Loading() {
  return (
    <LoadingRegion label="Loading the soak run…">
      <Skeleton className="mb-2 h-8 w-64" />
      <Skeleton className="mb-6 h-4 w-96 max-w-full" />
      <Skeleton className="mb-6 h-56" />
      <Skeleton className="mb-6 h-80" />
      <div className="grid gap-6 xl:grid-cols-2"><Skeleton className="h-64" /><Skeleton className="h-64" /></div>
    </LoadingRegion>
  );
}
