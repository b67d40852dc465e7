import { Form, type FormProps } from '@remix-run/react';

/**
 * A GET form of a staff page: the filters above a list, or a look-up (find a case by its number).
 * What it asks lives in the address, so a filtered list can be bookmarked and its export takes
 * the same query. One submit button.
 */
export function FilterBar({
  submitLabel,
  children,
  ...form
}: Omit<FormProps, 'method'> & { 'aria-label': string; submitLabel: string }) {
  return (
    <Form method="get" className="filter-bar" {...form}>
      {children}
      <button type="submit" className="button button-secondary">
        {submitLabel}
      </button>
    </Form>
  );
}
