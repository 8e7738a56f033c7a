import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Link, type LinkProps } from 'react-router-dom';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';
export type ButtonSize = 'sm' | 'md';

export const buttonClass = (variant: ButtonVariant = 'primary', size: ButtonSize = 'md', extra?: string) =>
  ['btn', `btn-${variant}`, size === 'sm' ? 'btn-sm' : '', extra ?? ''].filter(Boolean).join(' ');

/**
 * The one button: primary (the page's main action), secondary (outlined), ghost (quiet, inside tables) or danger
 * (destroys or stops something; usually through ConfirmButton). type defaults to "button" so a button inside a form
 * never submits it by accident — pass type="submit" for the submitting one.
 */
export function Button({ variant, size, className, type, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: ButtonSize }) {
  return <button type={type ?? 'button'} className={buttonClass(variant, size, className)} {...props} />;
}

/** A router link that looks like a button (for actions that open a page). */
export function LinkButton({ variant = 'secondary', size, className, children, ...props }: LinkProps & { variant?: ButtonVariant; size?: ButtonSize; children: ReactNode }) {
  return <Link className={buttonClass(variant, size, className)} {...props}>{children}</Link>;
}
