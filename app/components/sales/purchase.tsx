import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../server/http/cookies';
import { type RecordEntry, SaleRecord, SaleSteps, type StepView } from './sale-steps';

/** The ruling's PDF, for its buyer once a judge issued it. */
export function RulingLink({ listingId }: { listingId: string }) {
  const { t } = useTranslation();
  return (
    <p>
      <a
        href={`/sales/${listingId}/ruling.pdf`}
        download
        type="application/pdf"
        className="button button-small"
      >
        {t('sales.mine.rulingLink')}
      </a>
    </p>
  );
}

/** The buyer's side of one sale, as `sales.mySales` returns it. */
export interface PurchaseView {
  listingId: string;
  steps: readonly StepView[];
  ruling: { number: string } | null;
  handoverRecord: readonly RecordEntry[];
}

/**
 * What the buyer sees of his purchase after the hammer (/me/purchases, and the auction page's
 * result for the winner): each step with its date and deadline, the ruling's PDF once issued,
 * and the handover record. `level` is the heading level of its sections.
 */
export function Purchase({
  sale: s,
  locale,
  offset,
  level,
}: {
  sale: PurchaseView;
  locale: Locale;
  offset: number | null;
  level: 3 | 4;
}) {
  const { t } = useTranslation();
  const Heading = level === 3 ? 'h3' : 'h4';
  const id = `steps-${s.listingId}`;
  return (
    <div className="purchase" data-testid="sale-steps">
      <Heading id={id}>{t('sales.steps.title')}</Heading>
      <SaleSteps steps={s.steps} locale={locale} offset={offset} labelledBy={id} />
      {s.ruling && <RulingLink listingId={s.listingId} />}
      {s.handoverRecord.length > 0 && (
        <>
          <Heading id={`${id}-record`}>{t('sales.mine.handoverRecord')}</Heading>
          <SaleRecord entries={s.handoverRecord} locale={locale} labelledBy={`${id}-record`} />
        </>
      )}
    </div>
  );
}
