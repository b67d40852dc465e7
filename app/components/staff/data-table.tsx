import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/** One column: its header, and what each row shows in it. */
export interface Column<T> {
  header: React.ReactNode;
  cell: (row: T) => React.ReactNode;
  /** This column names the row (`<th scope="row">`): the case number, the bidder, the month. */
  rowHeader?: boolean;
  /** Class of its body cells: `wrap` lets long text wrap instead of widening the table. */
  className?: string;
  /** Its cell in the totals row (`<tfoot>`); a table has one when any column has a footer. */
  footer?: React.ReactNode;
}

/** A table is named by its caption (hidden unless `captionVisible`) or by the heading above it. */
type TableName =
  | { caption: string; captionVisible?: boolean; labelledBy?: never }
  | { labelledBy: string; caption?: never; captionVisible?: never };

export type DataTableProps<T> = TableName & {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Attributes of a row: a class (`overdue`), a test id. */
  rowProps?: (row: T) => React.HTMLAttributes<HTMLTableRowElement> & { 'data-testid'?: string };
  /**
   * Said instead of the table when there are no rows: a notice, or a muted line (`quiet`) for a
   * section of a larger page. Without it the table is drawn even when empty.
   */
  empty?: { message: string; action?: { to: string; label: string }; quiet?: boolean };
  /** Pages of a long list: links to the previous and next page, and "page n of m". */
  paging?: { page: number; pages: number; href: (page: number) => string; label?: string };
};

/**
 * The staff pages' table: in a frame that scrolls sideways on a phone (the page itself does not),
 * header cells scoped to their column, one column naming each row, an accessible name, an empty
 * state and a pager. Use it for every list of records on a staff page.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { columns, rows, rowKey, rowProps, empty, paging } = props;
  const hasFooter = columns.some((c) => c.footer !== undefined);
  return (
    <>
      {rows.length === 0 && empty ? (
        <p className={empty.quiet ? 'muted' : 'notice'}>
          {empty.message}
          {empty.action && (
            <>
              {' '}
              <Link to={empty.action.to}>{empty.action.label}</Link>
            </>
          )}
        </p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby={props.labelledBy}>
            {props.caption !== undefined && (
              <caption className={props.captionVisible ? undefined : 'visually-hidden'}>
                {props.caption}
              </caption>
            )}
            <thead>
              <tr>
                {columns.map((c, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the columns are a fixed list
                  <th key={i} scope="col">
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)} {...rowProps?.(row)}>
                  {columns.map((c, i) =>
                    c.rowHeader ? (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the columns are a fixed list
                      <th key={i} scope="row" className={c.className}>
                        {c.cell(row)}
                      </th>
                    ) : (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the columns are a fixed list
                      <td key={i} className={c.className}>
                        {c.cell(row)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
            {hasFooter && (
              <tfoot>
                <tr>
                  {columns.map((c, i) =>
                    c.rowHeader ? (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the columns are a fixed list
                      <th key={i} scope="row">
                        {c.footer}
                      </th>
                    ) : (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the columns are a fixed list
                      <td key={i}>{c.footer}</td>
                    ),
                  )}
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      )}
      {paging && paging.pages > 1 && <Pager {...paging} />}
    </>
  );
}

function Pager({ page, pages, href, label }: NonNullable<DataTableProps<unknown>['paging']>) {
  const { t } = useTranslation();
  return (
    <nav className="pager" aria-label={label ?? t('common.pagination')}>
      {page > 1 && (
        <Link to={href(page - 1)} rel="prev">
          {t('common.prevPage')}
        </Link>
      )}
      <span aria-current="page">{t('common.pageOf', { page, pages })}</span>
      {page < pages && (
        <Link to={href(page + 1)} rel="next">
          {t('common.nextPage')}
        </Link>
      )}
    </nav>
  );
}
