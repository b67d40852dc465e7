import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

export async function loader({ context }: LoaderFunctionArgs) {
  return { courts: await context.services.identity.listCourts() };
}

export default function Home() {
  const { courts } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (
    <div className="page">
      <section className="hero" aria-labelledby="home-title">
        <p className="eyebrow">{t('common.appTagline')}</p>
        <h1 id="home-title">{t('home.title')}</h1>
        <p className="lead">{t('home.intro')}</p>
        <Link to="/signup" className="button">
          {t('home.getStarted')}
        </Link>
      </section>
      <div className="cards">
        <section className="card" aria-labelledby="auctions-title">
          <h2 id="auctions-title">{t('home.auctionsTitle')}</h2>
          <p>{t('home.auctionsBody')}</p>
        </section>
        <section className="card" aria-labelledby="credit-title">
          <h2 id="credit-title">{t('home.creditTitle')}</h2>
          <p>{t('home.creditBody')}</p>
          <Link to="/credit">{t('home.creditLink')}</Link>
        </section>
        <section className="card" aria-labelledby="bounty-title">
          <h2 id="bounty-title">{t('bounties.public.homeTitle')}</h2>
          <p>{t('bounties.public.homeBody')}</p>
          <Link to="/bounties">{t('bounties.public.homeLink')}</Link>
        </section>
        <section className="card" aria-labelledby="aid-title">
          <h2 id="aid-title">{t('home.aidTitle')}</h2>
          <p>{t('home.aidBody')}</p>
        </section>
      </div>
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
