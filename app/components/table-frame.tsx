import type { ReactNode } from 'react';

/**
 * A table's frame that scrolls sideways inside the page when the table is wider than a phone,
 * instead of widening the page. It is a named region that takes the keyboard's focus, so it can be
 * scrolled without a pointer (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function TableFrame({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard
    <section className="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
