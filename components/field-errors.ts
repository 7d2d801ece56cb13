/** Field errors from an action's `error.details`, keyed by field name ("email", "scopes"). */
export type FieldErrors = Partial<Record<string, string>>;

/**
 * Services phrase field messages to follow the field name ("is required", "must be at least 10
 * characters"), so those get the name in front; other messages stand on their own.
 */
export function fieldErrors(details: readonly { field: string; message: string }[] | undefined): FieldErrors {
  const out: FieldErrors = {};
  for (const d of details ?? []) {
    // "scopes[0]" and "scopes.0" both count as "scopes".
    const key = d.field.replace(/\[\d+\].*$/, '').split('.')[0] || d.field;
    out[key] ??= sentence(key, d.message);
  }
  return out;
}

function sentence(field: string, message: string): string {
  const text = /^(is|are|must|should|has|have)\b/.test(message) ? `${field} ${message}` : message;
  const withStop = /[.!?]$/.test(text) ? text : `${text}.`;
  return withStop.charAt(0).toUpperCase() + withStop.slice(1);
}
