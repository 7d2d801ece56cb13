import { LoadingRegion, Skeleton } from '@/components/ui/skeleton';

export default function AuditLoading() {
  return (
    <LoadingRegion label="Loading audit events…">
      <Skeleton className="mb-2 h-8 w-32" />
      <Skeleton className="mb-6 h-4 w-96 max-w-full" />
      <Skeleton className="mb-6 h-36" />
      <div className="space-y-2">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-10" />
        ))}
      </div>
    </LoadingRegion>
  );
}
