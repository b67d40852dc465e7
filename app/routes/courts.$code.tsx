import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ListingCard } from '../components/public/listing-card';
import { pageTitle } from '../components/public/meta';
import publicStyles from '../components/public/public.css?url';
import { cardOf } from '../components/public/shape';
import { load } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: publicStyles }];
export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? pageTitle(matches, data.locale === 'en' ? data.court.nameEn : data.court.nameZh, { literal: true })
    : pageTitle(matches, 'errors.title');

/** A court code: 青, 青01, 青0104 (the case-number court code); anything else cannot exist. */
const ParamsSchema = z.object({ code: z.string().trim().min(1).max(20) });

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  const page = await load(request, () => context.services.listings.courtPage(parsed.data.code));
  const c = page.court;
  return {
    locale: context.locale,
    court: {
      code: c.code,
      nameZh: c.nameZh,
      nameEn: c.nameEn,
      courtLevel: c.courtLevel,
      province: c.province,
      city: c.city,
      district: c.district,
    },
    rows: page.rows.map(cardOf),
    total: page.total,
  };
}

export default function CourtPage() {
  const { court, rows, total } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const place = [court.province, court.city, court.district].filter(Boolean).join(en ? ', ' : '');
  return (
    <div className="page">
      <p className="eyebrow">{t('courtPage.eyebrow')}</p>
      <h1>{en ? court.nameEn : court.nameZh}</h1>
      {en && (
        <p className="muted" lang="zh-CN">
          {court.nameZh}
        </p>
      )}
      <dl className="facts">
        <dt>{t('courtPage.level')}</dt>
        <dd>{court.courtLevel ? t(`courtLevel.${court.courtLevel}`) : t('common.none')}</dd>
        <dt>{t('courtPage.place')}</dt>
        <dd>{place || t('common.none')}</dd>
        <dt>{t('courtPage.code')}</dt>
        <dd>{court.code}</dd>
      </dl>

      <section aria-labelledby="court-listings">
        <h2 id="court-listings">{t('courtPage.listings')}</h2>
        <p className="muted">{t('courtPage.total', { count: total })}</p>
        {rows.length === 0 ? (
          <p className="notice empty-state">{t('courtPage.empty')}</p>
        ) : (
          <ul className="listing-grid">
            {rows.map((l) => (
              <li key={l.id}>
                <ListingCard listing={l} />
              </li>
            ))}
          </ul>
        )}
        {total > rows.length && (
          <p>
            <Link to={`/auctions?${new URLSearchParams({ court: court.code, sort: 'starts_desc' })}`}>
              {t('courtPage.searchAll', { count: total })}
            </Link>
          </p>
        )}
      </section>
    </div>
  );
}
