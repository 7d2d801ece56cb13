import { LoadingRegion, Skeleton } from '@/components/ui/skeleton';

export default function Loading() {
  return (
    <LoadingRegion label="Loading the check…">
      <Skeleton className="mb-2 h-8 w-64 max-w-full" />
      <Skeleton className="mb-6 h-4 w-[32rem] max-w-full" />
      <div className="space-y-6">
        <Skeleton className="h-40" />
        <Skeleton className="h-56" />
        <Skeleton className="h-72" />
      </div>
    </LoadingRegion>
  );
}
