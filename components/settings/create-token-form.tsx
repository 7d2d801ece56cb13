'use client';
import { useRef, useState, useTransition, type FormEvent } from 'react';
import { createTokenAction } from '@/lib/actions/tokens';
import { fieldErrors, type FieldErrors } from '@/components/field-errors';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { TOKEN_SCOPES, type TokenScope } from '@/lib/engine/roles';
import { SCOPE_INFO } from '@/lib/engine/token-scopes';
import { SecretBox } from './secret-box';

// What each scope grants is described once, next to the scopes themselves.
const SCOPES = TOKEN_SCOPES.map((value) => ({ value, label: value, hint: SCOPE_INFO[value].grants }));

export function CreateTokenForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = String(form.get('name') ?? '');
    const scopes = form.getAll('scopes').map(String) as TokenScope[];
    setErrors({});
    setFormError(null);
    startTransition(async () => {
      const res = await createTokenAction({ name, scopes });
      if (res.ok) {
        formRef.current?.reset();
        setCreated({ name: res.data.token.name, secret: res.data.secret });
        return;
      }
      const fe = fieldErrors(res.error.details);
      setErrors(fe);
      setFormError(Object.keys(fe).length ? 'Fix the highlighted fields.' : res.error.message);
    });
  }

  return (
    <div>
      {created && <SecretBox name={created.name} secret={created.secret} onDone={() => setCreated(null)} />}
      <form ref={formRef} method="post" noValidate onSubmit={onSubmit} aria-labelledby="create-token-title" className="mb-6">
        <h3 id="create-token-title" className="text-sm font-semibold">
          Create token
        </h3>
        <div className="mt-3 grid gap-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)]">
          <Input id="new-token-name" name="name" label="Name" placeholder="e.g. github-actions main" required maxLength={80} autoComplete="off" error={errors.name} />
          <fieldset aria-describedby={errors.scopes ? 'new-token-scopes-error' : undefined}>
            <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Scopes</legend>
            <div className="mt-2 space-y-1.5">
              {SCOPES.map((s) => (
                <label key={s.value} className="flex items-start gap-2 text-sm">
                  <input type="checkbox" name="scopes" value={s.value} defaultChecked={s.value === 'ingest'} className="mt-0.5 size-4 accent-sky-600" />
                  <span>
                    <span className="font-mono">{s.label}</span> <span className="text-zinc-600 dark:text-zinc-400">— {s.hint}</span>
                  </span>
                </label>
              ))}
            </div>
            {errors.scopes && (
              <p id="new-token-scopes-error" className="mt-1 text-xs font-medium text-red-700 dark:text-red-400">
                {errors.scopes}
              </p>
            )}
          </fieldset>
        </div>
        {formError && <Alert className="mt-3">{formError}</Alert>}
        <Button type="submit" className="mt-4" pending={pending} pendingLabel="Creating…">
          Create token
        </Button>
      </form>
    </div>
  );
}
