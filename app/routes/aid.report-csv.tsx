import type { LoaderFunctionArgs } from '@remix-run/node';
import type { ReportCsvLabels } from '../../server/aid/reports';
import { csvResponse } from '../../server/csv';
import { isDomainError } from '../../server/errors';
import { serverI18n } from '../i18n/catalogs.server';
import { requireAuth } from '../utils/route.server';

/** The aid report as a CSV download (same scope and period as the report page). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  try {
    // Headers in the reader's language, as every CSV of the court's (issue 22).
    const { t } = serverI18n(context.locale);
    const labels = t('aid.reports.csvColumns', { returnObjects: true }) as ReportCsvLabels;
    const file = await context.services.aid.reports.reportCsv(auth.actor, query, labels);
    return csvResponse(file.csv, file.filename);
  } catch (e) {
    if (isDomainError(e)) {
      const status = e.code === 'validation' ? 400 : e.code === 'forbidden' ? 403 : 404;
      throw new Response(status === 400 ? 'Bad Request' : status === 403 ? 'Forbidden' : 'Not Found', {
        status,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
    throw e;
  }
}
