import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { FileList, LabelledValue, ListingStatus, useLocale, usePlace } from '../components/court/display';
import { formAction, formRefusal, formRows, idParam } from '../components/court/route.server';
import { roundUp, toBeijingInput } from '../components/court/values';
import { ARREAR_FIELDS, DisclosureDesk } from '../components/disclosure/court-disclosure';
import disclosureStyles from '../components/disclosure/disclosure.css?url';
import { ErrorPanel } from '../components/error-panel';
import { Field, TextAreaField } from '../components/forms';
import { ActionBar, ActionForm } from '../components/staff/action-bar';
import { DataTable } from '../components/staff/data-table';
import { DoneNotice, useDoneMessage } from '../components/staff/done-notice';
import { PageHead } from '../components/staff/page-head';
import type { ActionResult } from '../components/staff/post-form';
import { StatusTag } from '../components/staff/status-tag';
import { courtLinks } from '../components/staff/stylesheets';
import { formatDateTime, formatMoney } from '../utils/format';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [...courtLinks(), { rel: 'stylesheet', href: disclosureStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.listing.title ?? '拍卖公告'} · 最后一公里` },
];

const AMENDABLE = ['specialNotices', 'taxes', 'viewing', 'contact', 'supervisionLine'] as const;
const Intent = z.enum(['submit', 'approve', 'returnToDraft', 'suspend', 'resume', 'withdraw', 'amend']);
type Intent = z.infer<typeof Intent>;
/** The disclosure desk's forms (ADR 029); their done messages are the disclosure catalog's. */
const DisclosureIntent = z.enum(['disclose', 'offerViewing']);

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const listingId = idParam(params, 'listingId');
  const { durations } = context.services.profile;
  return load(request, async () => {
    // What to offer (`can`) and whether it is public come decided from the service.
    const d = await context.services.listings.getForCourt(auth.actor, listingId);
    const { listing: l } = d;
    const now = new Date();
    // Resumption: by default the old times if still ahead, otherwise an hour from now.
    const resumeStart = l.startsAt > now ? l.startsAt : roundUp(new Date(now.getTime() + 3_600_000), 10);
    const window = Math.max(l.endsAt.getTime() - l.startsAt.getTime(), durations.biddingWindowMin);
    return {
      ...d,
      // 看样: the slots offered and who booked them.
      viewingSlots: await context.services.listings.viewingsForCourt(auth.actor, listingId),
      // Sold (or defaulted): the buyer, the balance and the court's next step, decided by payments.
      balance: l.outcome ? await context.services.payments.balanceForCourt(auth.actor, listingId) : null,
      me: { id: auth.user.id, name: auth.user.realName },
      resumeDefaults: {
        startsAt: toBeijingInput(resumeStart),
        endsAt: toBeijingInput(new Date(resumeStart.getTime() + window)),
      },
    };
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const id = idParam(params, 'listingId');
  const form = await readForm(request, context);
  const disclosure = DisclosureIntent.safeParse(form.get('intent'));
  if (disclosure.success) {
    const listings = context.services.listings;
    if (disclosure.data === 'offerViewing') {
      const { intent: _, ...fields } = formObject(form);
      return formAction(request, 'offerViewing', async () => {
        await listings.offerViewingSlot(auth.actor, id, fields, context.meta.requestId);
        throw redirect(`/court/listings/${id}?done=offerViewing#disclosure-title`);
      });
    }
    // The arrear rows left empty are not arrears; all empty declares "none" (ADR 029).
    const arrears = formRows(form, 'arrears', ARREAR_FIELDS, (r) => !r.description && !r.amount);
    const { intent: _, ...fields } = formObject(form);
    const input = {
      ...Object.fromEntries(Object.entries(fields).filter(([k]) => !k.startsWith('arrears.'))),
      arrears: arrears.rows,
    };
    return formAction(
      request,
      'disclose',
      async () => {
        await listings.saveDisclosure(auth.actor, id, input, context.meta.requestId);
        throw redirect(`/court/listings/${id}?done=disclose#disclosure-title`);
      },
      { arrears: arrears.index },
    );
  }
  const parsed = Intent.safeParse(form.get('intent'));
  if (!parsed.success)
    return formRefusal(String(form.get('intent')), 400, { formError: 'errors.validation' });
  const intent = parsed.data;
  const { intent: _, ...fields } = formObject(form);
  const listings = context.services.listings;
  const run: Record<Intent, () => Promise<unknown>> = {
    submit: () => listings.submit(auth.actor, id),
    approve: () => listings.approve(auth.actor, id),
    returnToDraft: () => listings.returnToDraft(auth.actor, id, fields),
    suspend: () => listings.suspend(auth.actor, id, fields),
    resume: () => listings.resume(auth.actor, id, fields),
    withdraw: () => listings.withdraw(auth.actor, id, fields),
    amend: () => listings.amend(auth.actor, id, fields),
  };
  return formAction(request, intent, async () => {
    await run[intent]();
    throw redirect(`/court/listings/${id}?done=${intent}`);
  });
}

export default function ListingPage() {
  const data = useLoaderData<typeof loader>();
  const { listing: l, asset, court, me } = data;
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = useLocale();
  const place = usePlace();
  const doneMessage = useDoneMessage('listings.done', ['draft', ...Intent.options]);
  const who = (userId: string | null) =>
    userId === null
      ? t('listings.bySystem')
      : userId === me.id
        ? t('listings.byYou', { name: me.name })
        : (data.staffNames[userId] ?? t('listings.byColleague'));
  const when = (d: Date | string | null) => (d ? formatDateTime(d, locale) : '—');
  // An end can move by an extension (art. 20, by the second): shown to the second.
  const whenExact = (d: Date | string) => formatDateTime(d, locale, true);
  return (
    <section className="page" aria-labelledby="listing-title">
      <p>
        <Link to="/court/listings">{t('listings.backToList')}</Link> ·{' '}
        <Link to={`/court/assets/${asset.id}`}>{t('listings.backToAsset')}</Link>
      </p>
      <PageHead id="listing-title" title={l.title}>
        <span className="tag">{t(`round.${l.round}`)}</span> <ListingStatus listing={l} />
      </PageHead>
      <DoneNotice message={doneMessage} />
      {l.resultHeldAt && (
        // The close refused to settle: its standing disagreed with the log (art. 31, ADR 013).
        <div className="notice notice-warning" role="alert" data-testid="result-held">
          <p>{t('listings.resultHeld')}</p>
          <p>
            <Link to={`/auctions/${l.id}/verify`}>{t('listings.resultHeldLink')}</Link>
          </p>
        </div>
      )}
      {data.isPublic && (
        <p>
          <Link to={`/auctions/${l.id}`}>{t('listings.publicPage')}</Link>
          {/* Sold: the ruling confirming the sale and the handover follow on the post-sale desk. */}
          {l.outcome === 'sold' && (
            <>
              {' · '}
              <Link to={`/court/sales/${l.id}`}>{t('sales.sale.fromListing')}</Link>
            </>
          )}
        </p>
      )}
      {data.balance && <SoldDesk balance={data.balance} />}
      {l.publicReason && (l.status === 'suspended' || l.status === 'withdrawn') && (
        <p className="notice">{t('listings.publicReasonShown', { reason: l.publicReason })}</p>
      )}

      <dl className="facts" aria-label={t('listings.facts')}>
        <dt>{t('listings.status')}</dt>
        <dd>{t(`listingStatus.${l.courtStatus}`)}</dd>
        <dt>{t('listings.court')}</dt>
        <dd>{i18n.language === 'en' ? court.nameEn : court.nameZh}</dd>
        <dt>{t('listings.assetType')}</dt>
        <dd>{t(`assetType.${l.assetType}`)}</dd>
        <dt>{t('listings.location')}</dt>
        <dd>{place(asset.province, asset.city, asset.district, asset.address)}</dd>
        <dt>{t('listings.appraisal')}</dt>
        <dd>{formatMoney(l.appraisalFen)}</dd>
        <dt>{t('listings.startingPrice')}</dt>
        <dd>{formatMoney(l.startingPriceFen)}</dd>
        <dt>{t('listings.deposit')}</dt>
        <dd>{formatMoney(l.depositFen)}</dd>
        <dt>{t('listings.increment')}</dt>
        <dd>{formatMoney(l.incrementFen)}</dd>
        <dt>{t('listings.announceAt')}</dt>
        <dd>{when(l.announceAt)}</dd>
        <dt>{t('listings.startsAt')}</dt>
        <dd>{when(l.startsAt)}</dd>
        <dt>{t('listings.endsAt')}</dt>
        <dd>
          {whenExact(l.currentEndAt)}
          {+new Date(l.currentEndAt) !== +new Date(l.endsAt) &&
            ` ${t('listings.extendedFrom', { at: whenExact(l.endsAt) })}`}
        </dd>
        <dt>{t('listings.balanceDays')}</dt>
        <dd>{t('listings.days', { n: l.balanceDays })}</dd>
        <dt>{t('listings.taxPayer')}</dt>
        <dd>{t(`taxPayer.${l.taxPayer}`)}</dd>
        <dt>{t('listings.purchaseRestricted')}</dt>
        <dd>{l.purchaseRestricted ? t('listings.yes') : t('listings.no')}</dd>
        <dt>{t('listings.preparedBy')}</dt>
        <dd>
          {who(l.preparedBy)}
          {l.submittedAt && ` · ${t('listings.submittedAt', { at: when(l.submittedAt) })}`}
        </dd>
        <dt>{t('listings.approvedBy')}</dt>
        <dd data-testid="approved-by">
          {l.approvedBy ? `${who(l.approvedBy)} · ${when(l.approvedAt)}` : t('listings.notApproved')}
        </dd>
        <dt>{t('listings.publishedAt')}</dt>
        <dd>{when(l.publishedAt)}</dd>
      </dl>

      <h2>{t('listings.announcementText')}</h2>
      <div className="cards">
        <section className="card" aria-labelledby="notices-title">
          <h3 id="notices-title">{t('listings.specialNotices')}</h3>
          <p className="pre">{l.specialNotices}</p>
        </section>
        <section className="card" aria-labelledby="taxes-title">
          <h3 id="taxes-title">{t('listings.taxes')}</h3>
          <p className="pre">{l.taxes}</p>
        </section>
        <section className="card" aria-labelledby="viewing-title">
          <h3 id="viewing-title">{t('listings.viewing')}</h3>
          <p className="pre">{l.viewing}</p>
          <p>
            <LabelledValue label={t('listings.contact')} value={l.contact} />
            <br />
            <LabelledValue label={t('listings.supervisionLine')} value={l.supervisionLine} />
          </p>
        </section>
      </div>

      <DisclosureDesk
        disclosure={data.disclosure}
        slots={data.viewingSlots}
        can={{ disclose: data.can.disclose, offerViewing: data.can.offerViewing }}
        result={result}
      />

      <h2 id="purchasers-title">{t('listings.priorityPurchasers')}</h2>
      <DataTable
        labelledBy="purchasers-title"
        rows={data.purchasers}
        rowKey={(p) => p.id}
        empty={{ message: t('listings.noPurchasers'), quiet: true }}
        columns={[
          { header: t('listings.purchaserRank'), cell: (p) => p.rank },
          { header: t('listings.purchaserName'), cell: (p) => p.name, rowHeader: true },
          { header: t('listings.purchaserRight'), cell: (p) => t(`priorityRight.${p.rightKind}`) },
          {
            header: t('listings.purchaserIdentity'),
            cell: (p) =>
              p.identityKind
                ? `${t(`identityKind.${p.identityKind}`)} ${p.identityMasked}`
                : t('listings.purchaserNoIdentity'),
          },
          {
            header: t('listings.purchaserRegistration'),
            cell: (p) => (
              <span data-testid="purchaser-registration">
                {p.registration
                  ? p.registration.code
                    ? t('listings.purchaserActive', { code: p.registration.code })
                    : t('listings.purchaserAwaitingDeposit')
                  : p.claimable
                    ? t('listings.purchaserNotRegistered')
                    : p.identityKind
                      ? t('listings.purchaserOrganisation')
                      : t('listings.purchaserNoIdentity')}
              </span>
            ),
          },
        ]}
      />
      {data.purchasers.length > 0 && <p className="field-help">{t('listings.purchasersMatchNote')}</p>}
      {data.purchasers.some((p) => !p.identityKind) && (
        <p className="notice">{t('listings.purchasersNoIdentityNote')}</p>
      )}
      {data.purchasers.some((p) => p.identityKind === 'organisation') && (
        <p className="notice">{t('listings.purchasersOrganisationNote')}</p>
      )}

      <h2>{t('files.title')}</h2>
      <FileList files={data.files} title={l.title} />

      <h2 id="timeline-title">{t('listings.timeline')}</h2>
      <ol className="timeline" aria-labelledby="timeline-title">
        {data.timeline.map((e) => (
          <li key={e.id}>
            <strong>
              {e.from ? `${t(`listingStatus.${e.from}`)} → ` : ''}
              {t(`listingStatus.${e.to}`)}
            </strong>{' '}
            <span className="muted">
              {when(e.at)} · {who(e.actorId)}
            </span>
            {e.reason && <div className="pre">{t('listings.reasonShown', { reason: e.reason })}</div>}
          </li>
        ))}
      </ol>

      {data.amendments.length > 0 && (
        <>
          <h2 id="amendments-title">{t('listings.amendments')}</h2>
          <ol className="timeline" aria-labelledby="amendments-title">
            {data.amendments.map((a) => (
              <li key={a.id}>
                <span className="muted">
                  {when(a.publishedAt)} · {who(a.actorId)}
                </span>
                <div className="pre">{a.text}</div>
                {Object.keys(a.changes).length > 0 && (
                  <div className="muted">
                    {t('listings.amendedFields', {
                      fields: Object.keys(a.changes)
                        .map((f) => t(`listings.${f}`))
                        .join('、'),
                    })}
                  </div>
                )}
              </li>
            ))}
          </ol>
        </>
      )}

      {data.chain.length > 1 && (
        <>
          <h2 id="chain-title">{t('listings.chain')}</h2>
          <ul aria-labelledby="chain-title">
            {data.chain.map((c) => (
              <li key={c.id}>
                {c.id === l.id ? (
                  <strong aria-current="page">{t(`round.${c.round}`)}</strong>
                ) : (
                  <Link to={`/court/listings/${c.id}`}>{t(`round.${c.round}`)}</Link>
                )}{' '}
                <StatusTag catalog="listingStatus" value={c.status} /> {formatMoney(c.startingPriceFen)} ·{' '}
                {when(c.startsAt)}
              </li>
            ))}
          </ul>
        </>
      )}

      {/* Keyed by state, so the forms come back empty after a successful action. */}
      <ActionBar
        key={`actions-${l.status}-${data.timeline.length}-${data.amendments.length}`}
        can={data.can}
        result={result}
        title={t('listings.actions')}
        empty={t('listings.noActions')}
        actions={[
          { intent: 'submit', label: t('listings.do.submit'), help: t('listings.help.submit') },
          { intent: 'approve', label: t('listings.do.approve'), help: t('listings.help.approve') },
          {
            intent: 'returnToDraft',
            label: t('listings.do.returnToDraft'),
            fields: (r) => <ReasonField intent="returnToDraft" label={t('listings.reason')} result={r} />,
          },
          {
            intent: 'suspend',
            label: t('listings.do.suspend'),
            fields: (r) => <ReasonField intent="suspend" label={t('listings.publicReason')} result={r} />,
          },
          {
            intent: 'resume',
            label: t('listings.do.resume'),
            help: t('listings.help.beijingTime'),
            fields: (r) => (
              <>
                <Field
                  name="startsAt"
                  id="resume-startsAt"
                  type="datetime-local"
                  label={t('listings.newStartsAt')}
                  required
                  defaultValue={data.resumeDefaults.startsAt}
                  errors={r?.fieldErrors?.startsAt}
                />
                <Field
                  name="endsAt"
                  id="resume-endsAt"
                  type="datetime-local"
                  label={t('listings.newEndsAt')}
                  required
                  defaultValue={data.resumeDefaults.endsAt}
                  help={t('listings.help.endsAt')}
                  errors={r?.fieldErrors?.endsAt}
                />
                <ReasonField intent="resume" label={t('listings.publicReasonOptional')} optional result={r} />
              </>
            ),
          },
          {
            intent: 'withdraw',
            label: t('listings.do.withdraw'),
            danger: true,
            fields: (r) => <ReasonField intent="withdraw" label={t('listings.publicReason')} result={r} />,
          },
        ]}
      >
        {data.can.amend && (
          <details className="card" open={result?.intent === 'amend'}>
            <summary>{t('listings.do.amend')}</summary>
            <ActionForm intent="amend" label={t('listings.do.amendSubmit')} titled={false} result={result}>
              {(r) => (
                <>
                  <TextAreaField
                    name="text"
                    id="amend-text"
                    label={t('listings.amendText')}
                    help={t('listings.help.amendText')}
                    required
                    errors={r?.fieldErrors?.text}
                  />
                  {AMENDABLE.map((f) => (
                    <TextAreaField
                      key={f}
                      name={f}
                      id={`amend-${f}`}
                      label={t(`listings.${f}`)}
                      rows={f === 'specialNotices' ? 6 : 2}
                      defaultValue={l[f]}
                      errors={r?.fieldErrors?.[f]}
                    />
                  ))}
                </>
              )}
            </ActionForm>
          </details>
        )}
      </ActionBar>
    </section>
  );
}

function ReasonField({
  intent,
  label,
  result,
  optional,
}: {
  intent: Intent;
  label: string;
  result: ActionResult | undefined;
  optional?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <TextAreaField
      name="reason"
      id={`${intent}-reason`}
      label={label}
      rows={2}
      required={!optional}
      help={intent === 'returnToDraft' ? t('listings.help.internalReason') : t('listings.help.publicReason')}
      errors={result?.fieldErrors?.reason}
    />
  );
}

/** Refusals of an action (another court's listing, self-approval ...) keep a way back to the listing. */
export function ErrorBoundary() {
  const { t } = useTranslation();
  const { listingId } = useParams();
  return (
    <ErrorPanel
      back={(status) =>
        status !== 404 && listingId ? (
          <Link to={`/court/listings/${listingId}`}>{t('listings.backToListing')}</Link>
        ) : (
          <Link to="/court/listings">{t('listings.backToList')}</Link>
        )
      }
    />
  );
}

/** A sold listing's desk: who bought it, the balance's state and deadline, and the next step. */
function SoldDesk({
  balance: b,
}: {
  balance: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['balance']>;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section aria-labelledby="sold-title" data-testid="sold-desk">
      <h2 id="sold-title">{t('listings.sold.title')}</h2>
      <dl className="facts">
        <dt>{t('listings.sold.buyer')}</dt>
        <dd>
          {b.buyer}
          {b.code && ` (${b.code})`}
        </dd>
        <dt>{t('listings.sold.price')}</dt>
        <dd>{formatMoney(b.priceFen)}</dd>
        <dt>{t('listings.sold.depositApplied')}</dt>
        <dd>{formatMoney(b.depositAppliedFen)}</dd>
        <dt>{t('listings.sold.balance')}</dt>
        <dd>
          {formatMoney(b.amountFen)}{' '}
          <span className={`tag status tag-${b.status}`}>{t(`pay.balanceStatus.${b.status}`)}</span>
        </dd>
        <dt>{t('listings.sold.dueAt')}</dt>
        <dd className={b.overdue ? 'overdue' : undefined}>
          {formatDateTime(b.dueAt, locale, true)}
          {b.overdue && ` ${t('listings.sold.overdue')}`}
        </dd>
        {b.paidAt && (
          <>
            <dt>{t('listings.sold.paidAt')}</dt>
            <dd>{formatDateTime(b.paidAt, locale)}</dd>
          </>
        )}
      </dl>
      <p>
        {b.next.href ? (
          <Link className="button" to={b.next.href}>
            {t(`listings.sold.next.${b.next.step}`)}
          </Link>
        ) : (
          t(`listings.sold.next.${b.next.step}`)
        )}
      </p>
    </section>
  );
}
