import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { ChangePasswordForm } from './change-password-form';

export function AccountCard({ user }: { user: { name: string; email: string; role: string } }) {
  return (
    <Card id="account" title="Your account">
      <dl className="grid gap-4 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Name</dt>
          <dd className="mt-0.5 font-medium">{user.name}</dd>
        </div>
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Email</dt>
          <dd className="mt-0.5 font-medium break-all">{user.email}</dd>
        </div>
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Role</dt>
          <dd className="mt-0.5">
            <Badge tone={user.role === 'admin' ? 'blue' : 'neutral'}>{user.role}</Badge>
          </dd>
        </div>
      </dl>
      <ChangePasswordForm />
    </Card>
  );
}
