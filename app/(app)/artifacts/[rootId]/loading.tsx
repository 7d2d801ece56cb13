import { LoadingRegion, Skeleton } from '@/components/ui/skeleton';

export default function RootLoading() {
  return (
    <LoadingRegion label="Loading artifact root…">
      <div className="mb-6 flex items-end justify-between gap-4">
        <div>
          <Skeleton className="mb-2 h-8 w-48" />
          <Skeleton className="h-4 w-96 max-w-full" />
        </div>
        <Skeleton className="h-10 w-36" />
      </div>
      <Skeleton className="h-40" />
      <Skeleton className="mt-6 h-56" />
      <Skeleton className="mt-6 h-96" />
    </LoadingRegion>
  );
}
