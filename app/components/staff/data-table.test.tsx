import { describe, expect, it } from 'vitest';
import { renderInRoute } from '../../../tests/support/render';
import { type Column, DataTable } from './data-table';

interface Row {
  id: string;
  name: string;
  note: string;
  amount: number;
}
const ROWS: Row[] = [
  { id: 'a', name: '甲', note: '长备注', amount: 1 },
  { id: 'b', name: '乙', note: '', amount: 2 },
];
const COLUMNS: Column<Row>[] = [
  { header: '金额', cell: (r) => r.amount, footer: 3 },
  { header: '名称', cell: (r) => r.name, rowHeader: true, footer: '合计' },
  { header: '备注', cell: (r) => r.note, className: 'wrap' },
];

describe('DataTable', () => {
  it('scopes the header cells, names each row by its row-header column, and frames the table', async () => {
    const html = await renderInRoute(
      <DataTable caption="两行" rows={ROWS} rowKey={(r) => r.id} columns={COLUMNS} />,
    );
    expect(html).toContain('<div class="table-wrap"><table>');
    expect(html).toContain('<caption class="visually-hidden">两行</caption>');
    expect(html).toContain(
      '<thead><tr><th scope="col">金额</th><th scope="col">名称</th><th scope="col">备注</th></tr></thead>',
    );
    expect(html).toContain('<tr><td>1</td><th scope="row">甲</th><td class="wrap">长备注</td></tr>');
    expect(html).toContain('<tr><td>2</td><th scope="row">乙</th><td class="wrap"></td></tr>');
    // A totals row when the columns have footers, named like the body rows.
    expect(html).toContain('<tfoot><tr><td>3</td><th scope="row">合计</th><td></td></tr></tfoot>');
  });

  it('is named by a heading instead of a caption, and draws its rows with their attributes', async () => {
    const html = await renderInRoute(
      <DataTable
        labelledBy="list-title"
        rows={ROWS}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ 'data-testid': `row-${r.id}`, className: r.amount > 1 ? 'overdue' : undefined })}
        columns={[{ header: '名称', cell: (r) => r.name, rowHeader: true }]}
      />,
    );
    expect(html).toContain('<table aria-labelledby="list-title">');
    expect(html).not.toContain('<caption');
    expect(html).not.toContain('<tfoot');
    expect(html).toContain('<tr data-testid="row-a"><th scope="row">甲</th></tr>');
    expect(html).toContain('<tr data-testid="row-b" class="overdue"><th scope="row">乙</th></tr>');
  });

  it('says its empty state instead of an empty table, as a notice or a muted line with an action', async () => {
    const notice = await renderInRoute(
      <DataTable
        caption="无"
        rows={[]}
        rowKey={(r: Row) => r.id}
        columns={COLUMNS}
        empty={{ message: '暂无。' }}
      />,
    );
    expect(notice).toContain('<p class="notice">暂无。</p>');
    expect(notice).not.toContain('<table');

    const quiet = await renderInRoute(
      <DataTable
        caption="无"
        rows={[]}
        rowKey={(r: Row) => r.id}
        columns={COLUMNS}
        empty={{ message: '暂无。', quiet: true, action: { to: '/court/cases/new', label: '新建' } }}
      />,
    );
    expect(quiet).toMatch(/<p class="muted">暂无。 <a [^>]*href="\/court\/cases\/new"[^>]*>新建<\/a><\/p>/);

    // Without an empty state the table is drawn anyway (a list that always has rows).
    const bare = await renderInRoute(
      <DataTable caption="无" rows={[]} rowKey={(r: Row) => r.id} columns={COLUMNS} />,
    );
    expect(bare).toContain('<tbody></tbody>');
  });

  it('pages: previous and next links where they exist, and the current page marked', async () => {
    const paged = (page: number, pages: number) =>
      renderInRoute(
        <DataTable
          caption="分页的表"
          rows={ROWS}
          rowKey={(r) => r.id}
          columns={COLUMNS}
          paging={{ page, pages, href: (p) => `?status=open&page=${p}`, label: '案件分页' }}
        />,
      );
    const middle = await paged(2, 3);
    expect(middle).toContain('<nav class="pager" aria-label="案件分页">');
    expect(middle).toContain(
      '<a rel="prev" data-discover="true" href="/page?status=open&amp;page=1">上一页</a>',
    );
    expect(middle).toContain('<span aria-current="page">第 2 页，共 3 页</span>');
    expect(middle).toContain(
      '<a rel="next" data-discover="true" href="/page?status=open&amp;page=3">下一页</a>',
    );

    const first = await paged(1, 3);
    expect(first).not.toContain('rel="prev"');
    expect(first).toContain('rel="next"');
    const last = await paged(3, 3);
    expect(last).toContain('rel="prev"');
    expect(last).not.toContain('rel="next"');
    // One page: no pager at all.
    expect(await paged(1, 1)).not.toContain('pager');
  });

  it('labels the pager in the page language when the page gives no label', async () => {
    const html = await renderInRoute(
      <DataTable
        caption="Cases"
        rows={ROWS}
        rowKey={(r) => r.id}
        columns={COLUMNS}
        paging={{ page: 1, pages: 2, href: (p) => `?page=${p}` }}
      />,
      { locale: 'en' },
    );
    expect(html).toContain('<nav class="pager" aria-label="Pages">');
    expect(html).toContain('<span aria-current="page">Page 1 of 2</span>');
    expect(html).toMatch(/rel="next"[^>]*>Next page<\/a>/);
  });
});
