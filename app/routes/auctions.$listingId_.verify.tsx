import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { RecordDifference } from '../../server/auctions/record';
import type { Locale } from '../../server/http/cookies';
import { pageTitle } from '../components/public/meta';
import publicStyles from '../components/public/public.css?url';
import { auctionPath } from '../components/public/shape';
import { TableFrame } from '../components/table-frame';
import { formatDateTime, formatMoney } from '../utils/format';
import { load } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: publicStyles }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'record.title');

const ParamsSchema = z.object({ listingId: z.uuid() });

/**
 * The auction's record checked for anyone (art. 8, 20): the server's verdict on the hash chain
 * and, where the `bids` table or the listing's standing differ from the log, where (the same
 * verdict as `/auctions/:id/chain`, which also serves the entries to recompute it).
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  const chain = await load(request, () => context.services.bidding.chain(parsed.data.listingId));
  const v = chain.verdict;
  return {
    listingId: chain.listingId,
    title: chain.title,
    ok: v.ok,
    brokenAt: 'brokenAt' in v ? v.brokenAt : null,
    length: 'length' in v ? v.length : null,
    head: 'head' in v ? v.head : null,
    differences: 'differences' in v ? v.differences : [],
    // Each entry of the log as a reader checks it: what happened, when, its hash and the one before.
    entries: chain.entries.map((e) => ({
      seq: e.seq,
      type: e.type,
      at: e.at.toISOString(),
      code: typeof e.payload.code === 'string' ? e.payload.code : null,
      amountFen: typeof e.payload.amountFen === 'string' ? e.payload.amountFen : null,
      source: typeof e.payload.source === 'string' ? e.payload.source : null,
      to: typeof e.payload.to === 'string' ? e.payload.to : null,
      prevHash: e.prevHash,
      hash: e.hash,
    })),
  };
}

const MONEY = new Set(['amountFen', 'currentPriceFen']);
const TIME = new Set(['at', 'extendedTo', 'currentEndAt']);

export default function VerifyPage() {
  const d = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const value = (field: string, v: string | null) =>
    v === null
      ? '—'
      : MONEY.has(field) && /^\d+$/.test(v)
        ? formatMoney(v)
        : TIME.has(field) && Number.isFinite(Date.parse(v))
          ? formatDateTime(v, locale, true)
          : field === 'status'
            ? t(`listingStatus.${v}`, { defaultValue: v })
            : v;
  const row = (c: string | null, amount: string | null) =>
    `${c ?? '—'} · ${amount !== null && /^\d+$/.test(amount) ? formatMoney(amount) : (amount ?? '—')}`;
  const cells = (x: RecordDifference) =>
    x.kind === 'differs'
      ? [t(`record.fields.${x.field}`), value(x.field, x.log), value(x.field, x.table)]
      : x.kind === 'missing'
        ? [t('record.missing'), row(x.code, x.amountFen), '—']
        : [t('record.extra'), '—', row(x.code, x.amountFen)];
  return (
    <article className="page" aria-labelledby="record-title">
      <p className="eyebrow">
        <Link to={auctionPath(d.listingId)}>{d.title}</Link>
      </p>
      <h1 id="record-title">{t('record.title')}</h1>
      <p>{t('record.intro')}</p>
      <div className={d.ok ? 'notice' : 'notice notice-warning'} role="status" data-testid="record-verdict">
        <p>
          <strong>
            {d.ok
              ? t('record.ok', { count: d.length ?? 0 })
              : d.brokenAt !== null
                ? t('record.broken', { seq: d.brokenAt })
                : t('record.differs', { count: d.differences.length })}
          </strong>
        </p>
      </div>
      {d.head && (
        <dl className="facts">
          <dt>{t('record.entries')}</dt>
          <dd>{d.length}</dd>
          <dt>{t('record.head')}</dt>
          <dd>
            <code className="prose">{d.head}</code>
          </dd>
        </dl>
      )}
      {d.differences.length > 0 && (
        <TableFrame label={t('record.caption')}>
          <table data-testid="record-differences">
            <caption>{t('record.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('record.where')}</th>
                <th scope="col">{t('record.what')}</th>
                <th scope="col">{t('record.log')}</th>
                <th scope="col">{t('record.table')}</th>
              </tr>
            </thead>
            <tbody>
              {d.differences.map((x) => {
                const [what, log, table] = cells(x);
                return (
                  <tr key={`${x.where}:${'seq' in x ? x.seq : ''}:${'field' in x ? x.field : x.kind}`}>
                    <th scope="row">
                      {x.where === 'bids' ? t('record.bid', { seq: x.seq }) : t('record.listing')}
                    </th>
                    <td>{what}</td>
                    <td>{log}</td>
                    <td>{table}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableFrame>
      )}
      {d.entries.length > 0 && (
        <TableFrame label={t('record.entriesCaption')}>
          <table data-testid="record-entries">
            <caption>{t('record.entriesCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('record.seq')}</th>
                <th scope="col">{t('record.at')}</th>
                <th scope="col">{t('record.event')}</th>
                <th scope="col">{t('record.hash')}</th>
              </tr>
            </thead>
            <tbody>
              {d.entries.map((e) => (
                <tr key={e.seq}>
                  <th scope="row">{e.seq}</th>
                  <td>
                    <time dateTime={e.at}>{formatDateTime(e.at, locale, true)}</time>
                  </td>
                  <td>
                    {e.type === 'bid'
                      ? t(e.source === 'proxy' ? 'record.entryProxyBid' : 'record.entryBid', {
                          code: e.code ?? '—',
                          amount: e.amountFen && /^\d+$/.test(e.amountFen) ? formatMoney(e.amountFen) : '—',
                        })
                      : e.type === 'status' && e.to
                        ? t('record.entryStatus', {
                            status: t(`listingStatus.${e.to}`, { defaultValue: e.to }),
                          })
                        : e.type}
                  </td>
                  <td>
                    <code className="hash" title={e.hash}>
                      {e.hash.slice(0, 16)}…
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      <section aria-labelledby="how-title">
        <h2 id="how-title">{t('record.howTitle')}</h2>
        <ol>
          <li>
            {t('record.how1')} {/* A plain link: the JSON is not a page of the app. */}
            <a href={`/auctions/${d.listingId}/chain.json`}>{t('record.json')}</a>
          </li>
          <li>
            {t('record.how2')} <code className="prose">sha256("lastmile:auction:" + listingId)</code>
          </li>
          <li>
            {t('record.how3')}{' '}
            <code className="prose">
              sha256(prevHash + "\n" + canonicalJson({'{'}listingId, seq, type, at, payload{'}'}))
            </code>
          </li>
          <li>{t('record.how4')}</li>
        </ol>
      </section>
      <p className="muted">{t('record.verifier')}</p>
      <p>
        <Link to={auctionPath(d.listingId)}>{t('record.back')}</Link>
      </p>
    </article>
  );
}
