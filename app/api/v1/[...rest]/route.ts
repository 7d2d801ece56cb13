// Any /api/v1 path no route file claims: the JSON error envelope with 404, for every method,
// instead of Next's HTML not-found page (API clients parse the body).
import { notFoundRoute } from '@/lib/auth/http';

export const dynamic = 'force-dynamic';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = notFoundRoute();
