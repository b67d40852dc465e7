import type { LoaderFunctionArgs } from '@remix-run/node';
import { csvDateTime, csvFilename, csvResponse, fenToYuan, toCsv } from '../../server/csv';
import { serverI18n } from '../i18n/catalogs.server';
import { load, plainError, requireAuth } from '../utils/route.server';
import { ListingQuery, listingRows } from './court.listings._index';

/** The court's listings as a spreadsheet, with the filters of /court/listings (the whole filtered set). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const filter = ListingQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const found = await load(request, () =>
    context.services.listings.pageForCourt(auth.actor, { ...filter, before: undefined }, null),
  ).catch(plainError);
  const { t } = serverI18n(context.locale);
  const csv = toCsv(
    [
      t('listings.asset'),
      t('listings.caseNumber'),
      t('listings.round'),
      t('listings.status'),
      t('listings.csv.startingPriceYuan'),
      t('listings.csv.startsAt'),
      t('listings.csv.endsAt'),
    ],
    listingRows(found.rows).map((l) => [
      l.title,
      l.caseNumber,
      t(`round.${l.round}`),
      `${t(`listingStatus.${l.courtStatus}`)}${l.outcome ? ` ${t(`publicStatus.${l.outcome}`)}` : ''}`,
      fenToYuan(l.startingPriceFen),
      csvDateTime(l.startsAt),
      csvDateTime(l.currentEndAt),
    ]),
  );
  return csvResponse(csv, csvFilename('listings', new Date()));
}
