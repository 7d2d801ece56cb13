import type { SelectOption } from '@/components/ui/select';

export const ROLE_OPTIONS: readonly SelectOption[] = [
  { value: 'viewer', label: 'viewer' },
  { value: 'operator', label: 'operator' },
  { value: 'admin', label: 'admin' },
];

/** What each role may do, for the add-user form's hint. */
export const ROLE_HINT = 'Viewers read everything; operators also approve and run cleanups; admins also manage users and tokens.';
