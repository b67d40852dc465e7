import { Form, Link, useLocation } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../db/schema/identity';
import { useLaterMessages } from '../i18n/i18n';
import { useRootData } from '../utils/root-data';
import { CsrfInput } from './forms';

interface NavItem {
  to: string;
  label: string;
}

/** Navigation per role: what a user sees is what his permissions allow (the service checks again). */
export function navFor(roles: readonly Role[]): NavItem[] {
  const items: NavItem[] = [];
  if (roles.includes('bidder'))
    items.push(
      { to: '/me', label: 'nav.me' },
      { to: '/me/auctions', label: 'myAuctions.nav' },
      { to: '/me/payments', label: 'myPayments.title' },
      { to: '/me/purchases', label: 'sales.nav.purchases' },
      // 模拟拍卖 (ADR 033): practise before bidding for real.
      { to: '/practice', label: 'practice.nav' },
    );
  if (roles.some((r) => r.startsWith('court_'))) items.push({ to: '/court', label: 'nav.court' });
  if (roles.some((r) => r === 'court_clerk' || r === 'court_panel' || r === 'court_president'))
    items.push({ to: '/court/cases', label: 'nav.cases' }, { to: '/court/overdue', label: 'nav.overdue' });
  if (roles.some((r) => r === 'court_clerk' || r === 'court_panel'))
    items.push(
      { to: '/court/listings', label: 'nav.listings' },
      { to: '/court/deposits', label: 'courtMoney.nav.deposits' },
      { to: '/court/transfers', label: 'courtMoney.nav.transfers' },
      { to: '/court/sales', label: 'sales.nav.desk' },
    );
  if (roles.some((r) => r.startsWith('court_') || r === 'platform_admin'))
    items.push({ to: '/court/indicators', label: 'indicators.nav' });
  // Case funds: the payout desk and the overdue-funds queue (the president approves deferrals there).
  if (roles.some((r) => r === 'court_clerk' || r === 'court_panel' || r === 'court_president'))
    items.push({ to: '/court/funds/payouts', label: 'funds.payouts.title' });
  // The higher court decides appeals on the dishonest-debtor list (失信规定 art. 12).
  if (roles.includes('court_president'))
    items.push({ to: '/court/credit-appeals', label: 'credit.nav.appeals' });
  if (roles.some((r) => r.startsWith('insurer_'))) items.push({ to: '/insurer', label: 'nav.insurer' });
  // Enforcement aid: the queue for court and insurer staff, payments for insurers, reports for all three.
  if (roles.some((r) => r.startsWith('court_') || r.startsWith('insurer_')))
    items.push({ to: '/aid', label: 'aid.nav.claims' });
  if (roles.some((r) => r.startsWith('insurer_')))
    items.push({ to: '/aid/batches', label: 'aid.nav.batches' });
  if (roles.some((r) => r.startsWith('court_') || r.startsWith('insurer_') || r === 'platform_admin'))
    items.push({ to: '/aid/reports', label: 'aid.nav.reports' });
  if (roles.includes('platform_admin')) items.push({ to: '/admin', label: 'nav.admin' });
  // Onboarding (ADR 023): organisations for the platform; tokens and webhooks for an organisation's administrator.
  if (roles.includes('platform_admin')) items.push({ to: '/admin/organisations', label: 'orgs.title' });
  if (roles.includes('court_admin')) items.push({ to: '/court/api-tokens', label: 'tokens.title' });
  if (roles.some((r) => r === 'court_admin' || r === 'insurer_manager'))
    items.push({ to: '/settings/webhooks', label: 'webhooks.title' });
  if (roles.some((r) => r === 'court_admin' || r === 'insurer_manager' || r === 'platform_admin'))
    items.push(
      { to: '/staff', label: 'nav.staff' },
      { to: '/admin/users', label: 'accounts.nav.users' },
      { to: '/admin/audit', label: 'accounts.nav.audit' },
    );
  return items;
}

/** Pages that belong to a navigation item without sitting under its path. */
const SECTION_OF: readonly (readonly [prefix: string, item: string])[] = [
  ['/me/pay/', '/me/payments'],
  ['/me/receipts/', '/me/payments'],
  ['/me/funds', '/me'],
];

/**
 * The one navigation item the page belongs to: the longest item path the page's path starts with
 * (so /me/payments underlines "my payments", not "my account" as well), after SECTION_OF.
 */
export function activeNavItem(pathname: string, items: readonly string[]): string | null {
  const section = SECTION_OF.find(([prefix]) => pathname.startsWith(prefix))?.[1];
  if (section && items.includes(section)) return section;
  let best: string | null = null;
  for (const to of items) {
    const under = to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
    if (under && (best === null || to.length > best.length)) best = to;
  }
  return best;
}

/** More items than this, and a phone shows them behind a menu button. */
const INLINE_ON_PHONE = 3;

const MENU_MESSAGES = ['common.menu'];

export function Header() {
  const data = useRootData();
  const { t } = useTranslation();
  const location = useLocation();
  const user = data?.user;
  const here = location.pathname + location.search;
  const items = [
    { to: '/', label: 'common.home' },
    { to: '/auctions', label: 'nav.auctions' },
    { to: '/calendar', label: 'nav.calendar' },
    ...(user ? navFor(user.roles) : []),
  ];
  const active = activeNavItem(
    location.pathname,
    items.map((i) => i.to),
  );
  // The menu collapses on a phone only once the page runs its script: without JavaScript every
  // item stays on the page.
  const [scripted, setScripted] = useState(false);
  const [open, setOpen] = useState(false);
  useEffect(() => setScripted(true), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page closes the menu
  useEffect(() => setOpen(false), [location.pathname]);
  const collapsible = scripted && items.length > INLINE_ON_PHONE;
  useLaterMessages(MENU_MESSAGES);
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        <span className="brand-mark" aria-hidden="true">
          ⚖
        </span>
        <span>{t('common.appName')}</span>
      </Link>
      <nav
        aria-label={t('common.mainNav')}
        className={`site-nav${collapsible ? ' site-nav-collapsible' : ''}${open ? ' site-nav-open' : ''}`}
      >
        {collapsible && (
          <button
            type="button"
            className="nav-toggle"
            aria-expanded={open}
            aria-controls="site-nav-items"
            onClick={() => setOpen((o) => !o)}
          >
            <span aria-hidden="true">☰</span> {t('common.menu')}
          </button>
        )}
        <ul id="site-nav-items">
          {items.map((item) => (
            <li key={item.to}>
              <Link
                to={item.to}
                className={item.to === active ? 'active' : undefined}
                aria-current={item.to === active ? 'page' : undefined}
              >
                {t(item.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="header-actions">
        <Form method="post" action="/language" className="inline-form">
          <CsrfInput />
          <input type="hidden" name="lang" value={data?.locale === 'en' ? 'zh-CN' : 'en'} />
          <input type="hidden" name="redirectTo" value={here} />
          <button type="submit" className="link-button" lang={data?.locale === 'en' ? 'zh-CN' : 'en'}>
            {t('common.switchLanguage')}
          </button>
        </Form>
        {user ? (
          <>
            <span className="muted user-name">{t('common.signedInAs', { name: user.realName })}</span>
            <Link to="/me/notifications">{t('notify.prefs.link')}</Link>
            <Form method="post" action="/logout" className="inline-form">
              <CsrfInput />
              <button type="submit" className="link-button">
                {t('common.logout')}
              </button>
            </Form>
          </>
        ) : (
          <>
            <Link to="/login">{t('common.login')}</Link>
            <Link to="/signup" className="button button-small">
              {t('common.signup')}
            </Link>
          </>
        )}
      </div>
    </header>
  );
}
