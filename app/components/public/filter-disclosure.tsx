import { type ReactNode, useEffect, useRef } from 'react';

/**
 * The search filters behind a 筛选 disclosure. The server renders it open (a desktop, a browser
 * without JavaScript); on a phone the script folds it, unless a filter is in use or wrong, so the
 * results are on the first screen.
 */
export function FilterDisclosure({
  label,
  keepOpen,
  children,
}: {
  label: string;
  /** A filter is set or has an error: the bidder must see it. */
  keepOpen: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (!keepOpen && ref.current && window.matchMedia('(max-width: 40rem)').matches) ref.current.open = false;
  }, [keepOpen]);
  return (
    <details ref={ref} className="filter-disclosure" open data-testid="filter-disclosure">
      <summary>{label}</summary>
      {children}
    </details>
  );
}
