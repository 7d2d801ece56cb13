import { formatDate } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { UserDto } from '@/lib/services/users';
import { AddUserForm } from './add-user-form';
import { UserRowControls } from './user-row-controls';

export function UsersSection({ users, currentUserId }: { users: readonly UserDto[]; currentUserId: string }) {
  return (
    <Card id="users" title="Users" description="Who can sign in, and what they may do. The last active admin cannot be demoted or disabled.">
      <Table caption="Users">
        <THead>
          <TR>
            <TH>Name</TH>
            <TH>Email</TH>
            <TH>Status</TH>
            <TH>Created</TH>
            <TH>Role</TH>
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          </TR>
        </THead>
        <TBody>
          {users.map((u) => (
            <TR key={`${u.id}:${u.role}:${u.disabled}`}>
              <TD className="font-medium">{u.name}</TD>
              <TD className="min-w-48 break-words">{u.email}</TD>
              <TD>{u.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}</TD>
              <TD className="whitespace-nowrap">{formatDate(u.createdAt)}</TD>
              <UserRowControls user={u} isSelf={u.id === currentUserId} />
            </TR>
          ))}
        </TBody>
      </Table>
      <AddUserForm />
    </Card>
  );
}
