import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../utils/format';

/** A notice's reward as it is published: a fixed sum, or a share of the money recovered, and its cap. */
export function RewardText({
  n,
}: {
  n: {
    rewardKind: string;
    rewardFen: number | null;
    rewardBasisPoints: number | null;
    capFen: number | null;
  };
}) {
  const { t } = useTranslation();
  const base =
    n.rewardKind === 'fixed'
      ? t('bounties.rewardText.fixed', { amount: formatMoney(n.rewardFen ?? 0) })
      : // Basis points to a percentage as text (1050 → "10.5"), no floating point.
        t('bounties.rewardText.percent', {
          percent: `${Math.trunc((n.rewardBasisPoints ?? 0) / 100)}${
            (n.rewardBasisPoints ?? 0) % 100
              ? `.${String((n.rewardBasisPoints ?? 0) % 100)
                  .padStart(2, '0')
                  .replace(/0$/, '')}`
              : ''
          }`,
        });
  return (
    <>
      {base}
      {n.capFen !== null && t('bounties.rewardText.cap', { cap: formatMoney(n.capFen) })}
    </>
  );
}

/** The fields a notice publishes (财产调查规定 art. 22), as a definition list. */
export function NoticeFacts({
  n,
}: {
  n: {
    debtorName: string;
    debtorIdPublished: string;
    lastKnownAddress: string;
    unpaidFen: number;
    rewardKind: string;
    rewardFen: number | null;
    rewardBasisPoints: number | null;
    capFen: number | null;
    scope: string;
    terms: string;
    publishFrom: string;
    publishUntil: string;
    caseNumber: string;
    courtZh: string;
    courtEn: string;
  };
}) {
  const { t, i18n } = useTranslation();
  return (
    <dl className="facts">
      <dt>{t('bounties.field.idNumber')}</dt>
      <dd data-testid="notice-id">{n.debtorIdPublished}</dd>
      <dt>{t('bounties.field.address')}</dt>
      <dd>{n.lastKnownAddress}</dd>
      <dt>{t('bounties.field.unpaid')}</dt>
      <dd>{formatMoney(n.unpaidFen)}</dd>
      <dt>{t('bounties.field.reward')}</dt>
      <dd data-testid="notice-reward">
        <RewardText n={n} />
      </dd>
      <dt>{t('bounties.field.scope')}</dt>
      <dd>{t(`bounties.scope.${n.scope}`)}</dd>
      <dt>{t('bounties.field.period')}</dt>
      <dd>
        {n.publishFrom} – {n.publishUntil}
      </dd>
      <dt>{t('bounties.field.terms')}</dt>
      <dd>{n.terms}</dd>
      <dt>{t('bounties.field.court')}</dt>
      <dd>{i18n.language === 'en' ? n.courtEn : n.courtZh}</dd>
      <dt>{t('bounties.field.caseNumber')}</dt>
      <dd>{n.caseNumber}</dd>
    </dl>
  );
}
