import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node';
import {
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useNavigation,
} from '@remix-run/react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANGE_PASSWORD_PATH, openWhileChangeDue } from '../server/identity/forced-change';
import { ErrorPanel } from './components/error-panel';
import { Header } from './components/header';
import { SessionWatch } from './components/session-watch';
import { completeCatalog } from './i18n/i18n';
import stylesHref from './styles/app.css?url';
import { useNonce } from './utils/nonce';
import { useRootData } from './utils/root-data';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export const meta: MetaFunction = () => [{ title: '最后一公里 LastMile' }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = context.auth?.user;
  // A client navigation's data request while an admin-set password is due (the server sends
  // page requests there itself, server/http/app.ts; ADR 028).
  if (user?.mustChangePassword && !openWhileChangeDue(new URL(request.url).pathname))
    throw redirect(CHANGE_PASSWORD_PATH);
  return {
    locale: context.locale,
    csrfToken: context.csrfToken,
    publicConfig: context.publicConfig,
    user: user ? { id: user.id, realName: user.realName, roles: user.roles } : null,
  };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRootData();
  const { t, i18n } = useTranslation();
  const nonce = useNonce();
  const locale = data?.locale ?? 'zh-CN';
  // The server decides the language (cookie); keep the browser's instance in step after a switch,
  // once that language's messages are here (the page shipped only its own, ADR 004).
  useEffect(() => {
    if (i18n.language !== locale) void completeCatalog(locale).then(() => i18n.changeLanguage(locale));
  }, [i18n, locale]);
  // The next page's messages: fetched as soon as a client-side navigation starts, not after it rendered keys.
  const navigating = useNavigation().state !== 'idle';
  useEffect(() => {
    if (navigating) void completeCatalog(locale);
  }, [navigating, locale]);
  const cfg = data?.publicConfig;
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t('common.skipToContent')}
        </a>
        {cfg?.rulesProfile === 'accelerated' && (
          <div className="banner banner-warning" role="status">
            {t('banner.accelerated', { factor: cfg.accelerationFactor })}
          </div>
        )}
        <Header />
        {data?.user && <SessionWatch userId={data.user.id} />}
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <ErrorPanel
      back={() => (
        <Link to="/" key={location.pathname}>
          {t('common.backHome')}
        </Link>
      )}
    />
  );
}
