import { useTranslation } from 'react-i18next';
import type { AidClaimStatus } from '../../../db/schema/aid';
import type { caseStatus } from '../../../db/schema/cases';
import type { DisbursementBatchStatus, DisbursementStatus } from '../../../db/schema/disbursements';
import type { FundObjectionStatus, FundPlanStatus } from '../../../db/schema/funds';
import type { bankTransferStatus, DepositStatus } from '../../../db/schema/payments';
import type { SaleStatus } from '../../../db/schema/sales';
import type { CourtListingStatus } from '../../../server/auctions/rules';

/** Each status catalog (its key prefix in app/i18n) and the values it names. */
export interface StatusCatalogs {
  listingStatus: CourtListingStatus;
  caseStatus: (typeof caseStatus.enumValues)[number];
  aidStatus: AidClaimStatus;
  aidPaymentStatus: DisbursementStatus;
  aidBatchStatus: DisbursementBatchStatus;
  'courtMoney.depositStatus': DepositStatus;
  'courtMoney.transferStatus': (typeof bankTransferStatus.enumValues)[number];
  saleStatus: SaleStatus;
  'funds.planStatus': FundPlanStatus;
  'funds.objectionStatus': FundObjectionStatus;
}

/**
 * A record's status as a tag, named from its catalog and coloured by its value (`tag-<value>` in
 * court.css and aid.css). Use it wherever a staff page shows the status of a listing, case,
 * deposit, transfer, aid claim, payment, batch or sale.
 */
export function StatusTag<C extends keyof StatusCatalogs>({
  catalog,
  value,
}: {
  catalog: C;
  value: StatusCatalogs[C];
}) {
  const { t } = useTranslation();
  return <span className={`tag status tag-${value}`}>{t(`${catalog}.${value}`)}</span>;
}
