/**
 * @deprecated `DoneNotice` lives in app/components/staff/done-notice. This re-export is kept only
 * until the listing, asset, transfer, claim and batch pages adopt the staff kit; remove then.
 */
export { DoneNotice } from '../staff/done-notice';
