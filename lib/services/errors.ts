/**
 * Errors a service raises on purpose. The route and action wrappers turn them into the error
 * envelope `{ error: { code, message, details } }` with the matching HTTP status; anything else
 * is an internal error whose details are logged, not shown.
 */
export type ServiceErrorCode =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'rate_limited';

export const STATUS: Record<ServiceErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
};

export interface FieldIssue {
  field: string;
  message: string;
}

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly details?: FieldIssue[],
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** Turns zod issues into field issues: `rules.2.ttl` → `rules[2].ttl`. */
export function zodIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldIssue[] {
  return issues.map((i) => ({
    field: i.path.reduce<string>(
      (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
      '',
    ) || '(root)',
    message: i.message,
  }));
}

export function invalid(issues: FieldIssue[]): ServiceError {
  const msg = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  return new ServiceError('invalid', msg || 'Invalid input', issues);
}
