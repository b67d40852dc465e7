import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { PracticeView } from '../../../server/practice/views';
import { formatMoney } from '../../utils/format';
import { CsrfInput } from '../forms';

/**
 * The end of a practice session (ADR 033): won, lost or no bid, and what a real auction would
 * do next, with this session's figures: the confirmation (art. 22), the deposit counted toward
 * the price and the balance due (art. 23), the ruling and the handover, a default (art. 24); the
 * loser's deposit released within 24 hours (art. 23); a failed auction re-auctioned (art. 26).
 */
export function PracticeResult({
  result,
  can,
  extensionCount,
}: Pick<PracticeView, 'result' | 'can' | 'extensionCount'>) {
  const { t } = useTranslation();
  if (!result) return null;
  const lines =
    result.kind === 'won'
      ? [
          t('practice.result.won1'),
          t('practice.result.won2', {
            deposit: formatMoney(result.depositFen),
            balance: formatMoney(result.balanceFen),
          }),
          t('practice.result.won3'),
          t('practice.result.won4'),
        ]
      : result.kind === 'lost'
        ? [
            t('practice.result.lost1', { deposit: formatMoney(result.depositFen) }),
            t('practice.result.lost2'),
          ]
        : [t('practice.result.failed1'), t('practice.result.failed2')];
  return (
    <section
      className={`auction-result practice-result practice-result-${result.kind}`}
      aria-labelledby="practice-result-title"
      data-testid="practice-result"
    >
      <h2 id="practice-result-title">
        {t('practice.result.title')} <span className="tag tag-practice">{t('practice.tag')}</span>
      </h2>
      <p className="practice-result-headline" role="status">
        <strong>
          {result.kind === 'won'
            ? t('practice.result.won', { price: formatMoney(result.priceFen) })
            : result.kind === 'lost'
              ? t('practice.result.lost', { price: formatMoney(result.priceFen), code: result.winnerCode })
              : t('practice.result.failed')}
        </strong>
      </p>
      <p data-testid="practice-extensions">{t('practice.result.extensions', { count: extensionCount })}</p>
      <h3>{t('practice.result.nextTitle')}</h3>
      <ol className="practice-next">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ol>
      <div className="practice-result-actions">
        {can.startAgain && (
          <Form method="post" action="/practice">
            <CsrfInput />
            <input type="hidden" name="intent" value="start" />
            <button type="submit" className="button">
              {t('practice.result.again')}
            </button>
          </Form>
        )}
        <Link to="/auctions?status=live" className="button button-secondary">
          {t('practice.result.real')}
        </Link>
      </div>
    </section>
  );
}
