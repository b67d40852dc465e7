import type { LoaderFunctionArgs } from '@remix-run/node';
import { csvDateTime, csvFilename, csvResponse, toCsv } from '../../server/csv';
import { serverI18n } from '../i18n/catalogs.server';
import { load, plainError, requireAuth } from '../utils/route.server';

/** The audit log as a spreadsheet, with the filters of /admin/audit (newest first, capped; ADR 024). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const filter = Object.fromEntries(new URL(request.url).searchParams);
  delete filter.before;
  const found = await load(request, () =>
    context.services.identity.auditEntries(auth.actor, filter, null),
  ).catch(plainError);
  const { t } = serverI18n(context.locale);
  const en = context.locale === 'en';
  const csv = toCsv(
    [
      t('accounts.audit.csv.at'),
      t('accounts.audit.csv.actor'),
      t('accounts.audit.csv.actorEmail'),
      t('accounts.audit.csv.organisation'),
      t('accounts.audit.csv.action'),
      t('accounts.audit.csv.entityType'),
      t('accounts.audit.csv.entityId'),
      t('accounts.audit.csv.details'),
      t('accounts.audit.csv.requestId'),
    ],
    found.rows.map((e) => [
      csvDateTime(e.at),
      e.actorId ? (e.actorName ?? e.actorId) : t('accounts.audit.system'),
      e.actorEmail,
      (en ? e.orgNameEn : e.orgNameZh) ?? null,
      e.action,
      e.entityType,
      e.entityId,
      e.data ? JSON.stringify(e.data) : null,
      e.requestId,
    ]),
  );
  return csvResponse(csv, csvFilename('audit', new Date()));
}
