import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { NoticeFacts } from '../components/bounties/reward';
import { pageTitle } from '../components/public/meta';
import publicStyles from '../components/public/public.css?url';
import { load } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: publicStyles }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'bounties.public.title');

/** The public bounty page (财产调查规定 art. 22, ADR 022): the notices running now, their published fields only. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return load(request, async () => ({ notices: await context.services.bounties.publicNotices() }));
}

export default function BountyNotices() {
  const { notices } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="page">
      <section className="stack" aria-labelledby="bounties-title">
        <h1 id="bounties-title">{t('bounties.public.title')}</h1>
        <p className="lead">{t('bounties.public.intro')}</p>
        <p>
          <Link to="/bounties/receipt">{t('bounties.public.checkLink')}</Link>
        </p>
        {notices.length === 0 && <p className="muted">{t('bounties.public.none')}</p>}
        {notices.map((n) => (
          <article
            key={n.id}
            className="card stack"
            aria-labelledby={`notice-${n.id}`}
            data-testid="public-notice"
          >
            <h2 id={`notice-${n.id}`}>{n.debtorName}</h2>
            <NoticeFacts n={n} />
            <Link to={`/bounties/${n.id}`}>{t('bounties.public.view')}</Link>
          </article>
        ))}
      </section>
    </div>
  );
}
