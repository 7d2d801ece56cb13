import type { InputHTMLAttributes, ReactNode } from 'react';
import { cn } from './cn';
import { controlClasses, describedBy, Field } from './field';

export interface InputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  fieldClassName?: string;
}

/** A labelled text input with hint and inline error wired to aria-describedby / aria-invalid. */
export function Input({ id, label, hint, error, fieldClassName, className, ...rest }: InputProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error} className={fieldClassName}>
      <input
        id={id}
        className={cn(controlClasses, 'h-10 w-full', className)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...rest}
      />
    </Field>
  );
}
