import type { InputHTMLAttributes } from 'react';
import './field.css';

/**
 * A text-like input inside its label, so the label text is its accessible name. The value is controlled: onValue
 * gets the new text.
 */
export function LabelledInput({
  label,
  value,
  onValue,
  ...input
}: {
  label: string;
  value: string;
  onValue: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  return (
    <label>
      {label}
      <input value={value} onChange={(event) => onValue(event.target.value)} {...input} />
    </label>
  );
}

/** The new-password field of account creation; main checks the same minimum with the contract's NewPassword. */
export function NewPasswordInput({
  value,
  onValue,
  label = 'Password (at least 10 characters)',
}: {
  value: string;
  onValue: (value: string) => void;
  label?: string;
}) {
  return (
    <LabelledInput
      label={label}
      type="password"
      value={value}
      onValue={onValue}
      autoComplete="new-password"
      minLength={10}
      required
    />
  );
}

/** The signed-in user's own password (sign in, unlock). */
export function CurrentPasswordInput({
  value,
  onValue,
  autoFocus,
}: {
  value: string;
  onValue: (value: string) => void;
  autoFocus?: boolean;
}) {
  return (
    <LabelledInput
      label="Password"
      type="password"
      value={value}
      onValue={onValue}
      autoComplete="current-password"
      required
      autoFocus={autoFocus}
    />
  );
}
