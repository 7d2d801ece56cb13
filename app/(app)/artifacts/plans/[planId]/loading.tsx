import { LoadingRegion, Skeleton } from '@/components/ui/skeleton';

export default function PlanLoading() {
  return (
    <LoadingRegion label="Loading cleanup plan…">
      <Skeleton className="mb-2 h-4 w-40" />
      <Skeleton className="mb-2 h-8 w-72 max-w-full" />
      <Skeleton className="mb-6 h-4 w-96 max-w-full" />
      <Skeleton className="h-56" />
      <Skeleton className="mt-6 h-40" />
      <div className="mt-6 space-y-2">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-9" />
        ))}
      </div>
    </LoadingRegion>
  );
}
