import { buttonClasses } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import type { FilterOptions } from '@/lib/services/perf/series';

/** Profile, branch and testbed as a plain GET form: the filters live in the URL, no script needed. */
export function SeriesFilters({ options, profile, branch, testbed }: { options: FilterOptions; profile: string; branch: string; testbed: string }) {
  const branches = options.branches.includes(branch) ? options.branches : [branch, ...options.branches];
  return (
    <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter the metrics">
      <Select id="f-profile" name="profile" label="Profile" defaultValue={profile} fieldClassName="w-36" options={[{ value: 'any', label: 'any' }, ...options.profiles.map((p) => ({ value: p, label: p }))]} />
      <Select id="f-branch" name="branch" label="Branch" defaultValue={branch} fieldClassName="w-52 max-w-full" options={branches.map((b) => ({ value: b, label: b }))} />
      <Select id="f-testbed" name="testbed" label="Testbed" defaultValue={testbed} fieldClassName="w-52 max-w-full" options={[{ value: '', label: 'all testbeds' }, ...options.testbeds.map((t) => ({ value: t.id, label: t.label }))]} />
      <button type="submit" className={buttonClasses('secondary', 'md')}>Apply</button>
    </form>
  );
}
