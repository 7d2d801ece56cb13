import type { ReactNode, SelectHTMLAttributes } from 'react';
import { cn } from './cn';
import { controlClasses, describedBy, Field } from './field';

export interface SelectOption {
  value: string;
  label: string;
}

export interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'children'> {
  id: string;
  /** Visible label; pass `hideLabel` for a compact control that keeps it as its accessible name. */
  label: ReactNode;
  hideLabel?: boolean;
  options: readonly SelectOption[];
  hint?: ReactNode;
  error?: ReactNode;
  fieldClassName?: string;
}

export function Select({ id, label, hideLabel, options, hint, error, fieldClassName, className, ...rest }: SelectProps) {
  const control = (
    <select
      id={id}
      className={cn(controlClasses, hideLabel ? 'h-8 pr-8' : 'h-10 w-full pr-8', className)}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy(id, hint, error)}
      aria-label={hideLabel && typeof label === 'string' ? label : undefined}
      {...rest}
    >
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
  if (hideLabel) return control;
  return (
    <Field id={id} label={label} hint={hint} error={error} className={fieldClassName}>
      {control}
    </Field>
  );
}
