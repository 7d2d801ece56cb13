'use client';
import { useState, useTransition } from 'react';
import { updateUserAction } from '@/lib/actions/users';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import { TD } from '@/components/ui/table';
import { ROLE_OPTIONS } from './role-options';

type Role = 'viewer' | 'operator' | 'admin';

/**
 * The editable cells of one user row: role and enabled state. The server refuses anything that
 * would leave no active admin; its message is shown in the row and the select snaps back.
 * The parent keys the row by role + disabled, so fresh server data remounts these controls.
 */
export function UserRowControls({ user, isSelf }: { user: { id: string; email: string; role: Role; disabled: boolean }; isSelf: boolean }) {
  const [role, setRole] = useState<Role>(user.role);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const errorId = `user-${user.id}-error`;

  function update(patch: { role?: Role; disabled?: boolean }) {
    setError(null);
    startTransition(async () => {
      const res = await updateUserAction({ userId: user.id, ...patch });
      if (!res.ok) {
        setError(res.error.message);
        setRole(user.role);
      }
    });
  }

  return (
    <>
      <TD data-label="Role">
        <Select
          id={`user-${user.id}-role`}
          label={`Role for ${user.email}`}
          hideLabel
          options={ROLE_OPTIONS}
          value={role}
          disabled={pending}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => {
            const next = e.target.value as Role;
            setRole(next);
            update({ role: next });
          }}
          className="w-32"
        />
      </TD>
      <TD data-label="">
        <div className="flex flex-col items-start gap-1">
          {isSelf ? (
            <span className="text-xs text-zinc-500 dark:text-zinc-400">This is you</span>
          ) : (
            <Button
              size="sm"
              variant={user.disabled ? 'secondary' : 'ghost'}
              pending={pending}
              aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.email}`}
              onClick={() => update({ disabled: !user.disabled })}
            >
              {user.disabled ? 'Enable' : 'Disable'}
            </Button>
          )}
          {error && (
            <p id={errorId} role="alert" className="max-w-64 text-xs font-medium text-red-700 dark:text-red-400">
              {error}
            </p>
          )}
        </div>
      </TD>
    </>
  );
}
