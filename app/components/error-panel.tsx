import { isRouteErrorResponse, useRouteError } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/**
 * An error boundary's page: what went wrong (the service's message key when it sent one, else one
 * by status), the status, and a way on. `back` is that way, chosen by the status: the root's goes
 * home; a page whose actions can be refused leads back to the page (another court's listing …).
 */
export function ErrorPanel({ back }: { back: (status: number) => React.ReactNode }) {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key =
    isRouteErrorResponse(error) && typeof error.data?.messageKey === 'string'
      ? error.data.messageKey
      : status === 404
        ? 'errors.notFound'
        : status === 403
          ? 'errors.forbidden'
          : 'errors.internal';
  return (
    <section className="page narrow" aria-labelledby="error-title">
      <h1 id="error-title">{t('errors.title')}</h1>
      <p role="alert">{t(key)}</p>
      <p className="muted">{t('errors.status', { status })}</p>
      <p>{back(status)}</p>
    </section>
  );
}
