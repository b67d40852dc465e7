import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { useServerNow } from '../components/public/countdown';
import { ListingCard } from '../components/public/listing-card';
import publicStyles from '../components/public/public.css?url';
import { cardOf } from '../components/public/shape';
import { useHomeLive } from '../components/public/use-home-live';
import { formatMoney, formatMoneyShort } from '../utils/format';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: publicStyles }];

/** The home page: the marketplace as it stands (issue 21), read once by the listings service. */
export async function loader({ context }: LoaderFunctionArgs) {
  const [home, courts] = await Promise.all([
    context.services.listings.homePage(),
    context.services.identity.listCourts(),
  ]);
  return {
    sections: {
      liveNow: home.liveNow.map(cardOf),
      endingSoon: home.endingSoon.map(cardOf),
      startingSoon: home.startingSoon.map(cardOf),
      newlyAnnounced: home.newlyAnnounced.map(cardOf),
    },
    byType: home.byType,
    byRegion: home.byRegion,
    figures: { ...home.figures, soldFen: home.figures.soldFen.toString() },
    serverTime: home.serverTime.getTime(),
    courts: courts.map((c) => ({ id: c.id, nameZh: c.nameZh, nameEn: c.nameEn, courtLevel: c.courtLevel })),
  };
}

/** The sections in page order, each with the search that lists all of its kind. */
const SECTIONS = [
  { key: 'liveNow', more: '/auctions?status=live' },
  { key: 'endingSoon', more: '/auctions?status=live&sort=ends_asc' },
  { key: 'startingSoon', more: '/auctions?status=upcoming&sort=starts_asc' },
  { key: 'newlyAnnounced', more: '/auctions?status=upcoming' },
] as const;

export default function Home() {
  const { sections, byType, byRegion, figures, serverTime, courts } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const live = [...sections.liveNow, ...sections.endingSoon].filter(
    (c, i, all) => all.findIndex((x) => x.id === c.id) === i,
  );
  const { offset, known } = useHomeLive(live, serverTime);
  const now = useServerNow(offset);
  return (
    <div className="page home">
      <section className="hero" aria-labelledby="home-title">
        <p className="eyebrow">{t('common.appTagline')}</p>
        <h1 id="home-title">{t('home.title')}</h1>
        <p className="lead">{t('home.intro')}</p>
        {/* A plain GET form: the search page's own URL, with or without JavaScript. */}
        <Form
          method="get"
          action="/auctions"
          role="search"
          aria-label={t('homeFeed.searchTitle')}
          className="home-search"
        >
          <label htmlFor="home-q" className="home-search-label">
            {t('homeFeed.searchLabel')}
          </label>
          <div className="home-search-row">
            <input
              id="home-q"
              name="q"
              type="search"
              maxLength={50}
              placeholder={t('homeFeed.searchPlaceholder')}
              autoComplete="off"
            />
            <button type="submit" className="button">
              {t('homeFeed.searchSubmit')}
            </button>
          </div>
        </Form>
        <p className="home-hero-links">
          <Link to="/auctions">{t('homeFeed.browseAll')}</Link>
          <Link to="/signup">{t('home.getStarted')}</Link>
          <Link to="/practice">{t('practice.heroLink')}</Link>
        </p>
      </section>

      <section aria-labelledby="figures-title">
        <h2 id="figures-title">{t('homeFeed.figuresTitle')}</h2>
        <dl className="home-figures" data-testid="home-figures">
          <Figure label={t('homeFeed.figures.live')} value={String(figures.live)} />
          <Figure label={t('homeFeed.figures.upcoming')} value={String(figures.upcoming)} />
          <Figure label={t('homeFeed.figures.held')} value={String(figures.held)} />
          <Figure label={t('homeFeed.figures.sold')} value={String(figures.sold)} />
          <Figure
            label={t('homeFeed.figures.soldValue')}
            value={formatMoneyShort(figures.soldFen, en ? 'en' : 'zh-CN')}
            exact={formatMoney(figures.soldFen)}
          />
          <Figure label={t('homeFeed.figures.following')} value={String(figures.following)} />
        </dl>
      </section>

      {SECTIONS.map(({ key, more }) => (
        <Row key={key} id={key} title={t(`homeFeed.${key}`)} more={more}>
          {sections[key].map((l) => (
            <li key={l.id}>
              <ListingCard listing={l} now={now} live={known[l.id]} />
            </li>
          ))}
        </Row>
      ))}

      <div className="home-browse">
        <CountList
          id="by-type"
          title={t('homeFeed.byType')}
          items={byType.map((x) => ({
            href: `/auctions?type=${x.value}`,
            label: t(`assetType.${x.value}`),
            count: x.count,
          }))}
        />
        <CountList
          id="by-region"
          title={t('homeFeed.byRegion')}
          items={byRegion.map((x) => ({
            href: `/auctions?province=${encodeURIComponent(x.value)}`,
            label: x.value,
            count: x.count,
          }))}
        />
      </div>

      <section aria-labelledby="more-title">
        <h2 id="more-title">{t('homeFeed.moreTitle')}</h2>
        <div className="cards">
          <section className="card" aria-labelledby="practice-title">
            <h3 id="practice-title">
              {t('practice.homeTitle')} <span className="tag tag-practice">{t('practice.tag')}</span>
            </h3>
            <p>{t('practice.homeBody')}</p>
            <Link to="/practice">{t('practice.homeLink')}</Link>
          </section>
          <section className="card" aria-labelledby="credit-title">
            <h3 id="credit-title">{t('home.creditTitle')}</h3>
            <p>{t('home.creditBody')}</p>
            <Link to="/credit">{t('home.creditLink')}</Link>
          </section>
          <section className="card" aria-labelledby="bounty-title">
            <h3 id="bounty-title">{t('bounties.public.homeTitle')}</h3>
            <p>{t('bounties.public.homeBody')}</p>
            <Link to="/bounties">{t('bounties.public.homeLink')}</Link>
          </section>
          <section className="card" aria-labelledby="aid-title">
            <h3 id="aid-title">{t('home.aidTitle')}</h3>
            <p>{t('home.aidBody')}</p>
          </section>
        </div>
      </section>
      <section aria-labelledby="courts-title">
        <h2 id="courts-title">{t('home.courtsTitle')}</h2>
        <ul className="org-list">
          {courts.map((c) => (
            <li key={c.id}>
              <strong>{en ? c.nameEn : c.nameZh}</strong>
              {c.courtLevel && <span className="tag">{t(`courtLevel.${c.courtLevel}`)}</span>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** A headline figure; a rounded one carries its exact value as a tooltip. */
function Figure({ label, value, exact }: { label: string; value: string; exact?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd title={exact !== value ? exact : undefined}>{value}</dd>
    </div>
  );
}

/** One section of cards: a row that scrolls sideways inside itself on a phone, a grid on a desktop. */
function Row({
  id,
  title,
  more,
  children,
}: {
  id: string;
  title: string;
  more: string;
  children: React.ReactNode[];
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={`${id}-title`} className="home-section" data-testid={`home-${id}`}>
      <div className="home-section-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <Link to={more} aria-describedby={`${id}-title`}>
          {t('homeFeed.seeAll')}
        </Link>
      </div>
      {children.length === 0 ? (
        <p className="muted">{t('homeFeed.empty')}</p>
      ) : (
        <ul className="home-row">{children}</ul>
      )}
    </section>
  );
}

function CountList({
  id,
  title,
  items,
}: {
  id: string;
  title: string;
  /** count: null above the search's count cap (ADR 020): the value without a number. */
  items: { href: string; label: string; count: number | null }[];
}) {
  const { t } = useTranslation();
  return (
    <nav aria-labelledby={`${id}-title`} className="home-counts" data-testid={`home-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {items.length === 0 ? (
        <p className="muted">{t('homeFeed.empty')}</p>
      ) : (
        <ul>
          {items.map((x) => (
            <li key={x.href}>
              <Link to={x.href}>
                {x.count === null ? x.label : t('homeFeed.countItem', { label: x.label, count: x.count })}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
