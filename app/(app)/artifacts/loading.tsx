import { LoadingRegion, Skeleton } from '@/components/ui/skeleton';

export default function ArtifactsLoading() {
  return (
    <LoadingRegion label="Loading artifact roots…">
      <Skeleton className="mb-2 h-8 w-40" />
      <Skeleton className="mb-6 h-4 w-96 max-w-full" />
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        <Skeleton className="h-64" />
        <Skeleton className="h-64" />
      </div>
      <Skeleton className="mt-6 h-32" />
      <Skeleton className="mt-6 h-80" />
      <Skeleton className="mt-6 h-64" />
    </LoadingRegion>
  );
}
