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
      <Table caption="Users" stack>
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
              <TD className="min-w-28 font-medium [overflow-wrap:anywhere]">{u.name}</TD>
              <TD data-label="Email" className="min-w-40 [overflow-wrap:anywhere]">{u.email}</TD>
              <TD data-label="Status">{u.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}</TD>
              <TD data-label="Created" className="whitespace-nowrap">{formatDate(u.createdAt)}</TD>
              <UserRowControls user={u} isSelf={u.id === currentUserId} />
            </TR>
          ))}
        </TBody>
      </Table>
      <AddUserForm />
    </Card>
  );
}
