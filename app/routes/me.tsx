import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requirePermission } from '../../server/identity/permissions';
import { load, requireAuth } from '../utils/route.server';

export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => {
    requirePermission(auth.actor, 'read:bidder-dashboard');
    const { realName, email, phone, nationalIdMasked, verification } = auth.user;
    return { realName, email, phone, nationalIdMasked, verification };
  });
}

export default function Me() {
  const me = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="page" aria-labelledby="me-title">
      <h1 id="me-title">{t('me.title')}</h1>
      <p className="lead">{t('me.welcome', { name: me.realName })}</p>
      <dl className="facts">
        <dt>{t('me.verification')}</dt>
        <dd>
          <span className={`status status-${me.verification}`}>
            {t(`me.verificationStatus.${me.verification}`)}
          </span>
        </dd>
        <dt>{t('me.nationalId')}</dt>
        <dd data-testid="masked-id">{me.nationalIdMasked ?? t('common.none')}</dd>
        <dt>{t('me.phone')}</dt>
        <dd>{me.phone ?? t('common.none')}</dd>
        <dt>{t('me.email')}</dt>
        <dd>{me.email}</dd>
      </dl>
      {me.verification !== 'verified' && <p className="notice">{t('me.unverifiedHint')}</p>}
      <p>
        <Link to="/me/auctions">{t('myAuctions.title')}</Link>
      </p>
      <p>
        <Link to="/me/funds">{t('funds.mine.title')}</Link>
      </p>
      <p>
        <Link to="/me/notifications">{t('notify.prefs.title')}</Link>
      </p>
    </section>
  );
}
