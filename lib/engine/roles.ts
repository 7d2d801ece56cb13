/**
 * Roles and scopes. Pure: the auth wrappers and the UI both ask these questions.
 * viewer < operator < admin; each role can do everything the roles below it can.
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const TOKEN_SCOPES = ['ingest', 'read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function isRole(value: unknown): value is Role {
  // Stryker disable next-line ConditionalExpression: includes() is false for a non-string anyway; the typeof narrows the type
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `actual` is at least `required`. An unknown role has no rights. */
export function hasRole(actual: string | null | undefined, required: Role): boolean {
  return isRole(actual) && rank[actual] >= rank[required];
}

/** True when the token's scopes include `required`. */
export function hasScope(scopes: readonly string[], required: TokenScope): boolean {
  return scopes.includes(required);
}
