/**
 * Natural sort key of a path: every run of fewer than 20 digits is left-padded with zeros to 20,
 * so comparing keys bytewise puts ITER_SUMMARY_2 before ITER_SUMMARY_10 (numbers compare by value,
 * as Intl.Collator's numeric option does). Longer runs are left as they are (they still sort
 * after shorter numbers). Case is kept; the query folds it. Stored in plan_entries."sortKey" at
 * insert and mirrored by NATURAL_KEY_FALLBACK_SQL for rows stored without one: keep them equal.
 */
export function naturalKey(p: string): string {
  return p.replace(/[0-9]+/g, (d) => (d.length < 20 ? d.padStart(20, '0') : d));
}
