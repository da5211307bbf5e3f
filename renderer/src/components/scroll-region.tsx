import type { ReactNode } from 'react';
import './data-table.css';

/** A scrollable area (wide tables, long text): focusable, so keyboard users can scroll it (WCAG 2.1.1). */
export function ScrollRegion({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll by keyboard
    <section className={`table-scroll ${className ?? ''}`} aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
