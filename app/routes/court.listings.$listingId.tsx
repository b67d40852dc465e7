import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import {
  Form,
  isRouteErrorResponse,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useParams,
  useRouteError,
  useSearchParams,
} from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import courtCss from '../components/court/court.css?url';
import { FileList, LabelledValue, StatusTag, useLocale, usePlace } from '../components/court/display';
import { DoneNotice } from '../components/court/fields';
import { formAction, formRefusal, idParam } from '../components/court/route.server';
import { roundUp, toBeijingInput } from '../components/court/values';
import { CsrfInput, Field, FormError, TextAreaField } from '../components/forms';
import { formatDateTime, formatMoney } from '../utils/format';
import { formObject, load, readForm, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: courtCss }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.listing.title ?? '拍卖公告'} · 最后一公里` },
];

const AMENDABLE = ['specialNotices', 'taxes', 'viewing', 'contact', 'supervisionLine'] as const;
const Intent = z.enum(['submit', 'approve', 'returnToDraft', 'suspend', 'resume', 'withdraw', 'amend']);
type Intent = z.infer<typeof Intent>;

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
  const [search] = useSearchParams();
  const { t, i18n } = useTranslation();
  const locale = useLocale();
  const place = usePlace();
  const done = search.get('done');
  const doneMessage = done === 'draft' || Intent.safeParse(done).success ? t(`listings.done.${done}`) : null;
  const who = (userId: string | null) =>
    userId === null
      ? t('listings.bySystem')
      : userId === me.id
        ? t('listings.byYou', { name: me.name })
        : (data.staffNames[userId] ?? t('listings.byColleague'));
  const when = (d: Date | string | null) => (d ? formatDateTime(d, locale) : '—');
  const anyAction = Object.values(data.can).some(Boolean);
  const formProps = (intent: Intent) => ({
    result: result?.intent === intent ? result : undefined,
  });
  return (
    <section className="page" aria-labelledby="listing-title">
      <p>
        <Link to="/court/listings">{t('listings.backToList')}</Link> ·{' '}
        <Link to={`/court/assets/${asset.id}`}>{t('listings.backToAsset')}</Link>
      </p>
      <div className="page-head">
        <h1 id="listing-title">{l.title}</h1>
        <p>
          <span className="tag">{t(`round.${l.round}`)}</span> <StatusTag status={l.status} />
          {l.outcome && ` ${t(`publicStatus.${l.outcome}`)}`}
        </p>
      </div>
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
        </p>
      )}
      {l.publicReason && (l.status === 'suspended' || l.status === 'withdrawn') && (
        <p className="notice">{t('listings.publicReasonShown', { reason: l.publicReason })}</p>
      )}

      <dl className="facts" aria-label={t('listings.facts')}>
        <dt>{t('listings.status')}</dt>
        <dd>{t(`listingStatus.${l.status}`)}</dd>
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
          {when(l.currentEndAt)}
          {+new Date(l.currentEndAt) !== +new Date(l.endsAt) &&
            ` ${t('listings.extendedFrom', { at: when(l.endsAt) })}`}
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

      <h2 id="purchasers-title">{t('listings.priorityPurchasers')}</h2>
      {data.purchasers.length === 0 ? (
        <p className="muted">{t('listings.noPurchasers')}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="purchasers-title">
            <thead>
              <tr>
                <th scope="col">{t('listings.purchaserRank')}</th>
                <th scope="col">{t('listings.purchaserName')}</th>
                <th scope="col">{t('listings.purchaserRight')}</th>
              </tr>
            </thead>
            <tbody>
              {data.purchasers.map((p) => (
                <tr key={p.id}>
                  <td>{p.rank}</td>
                  <th scope="row">{p.name}</th>
                  <td>{t(`priorityRight.${p.rightKind}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
                <StatusTag status={c.status} /> {formatMoney(c.startingPriceFen)} · {when(c.startsAt)}
              </li>
            ))}
          </ul>
        </>
      )}

      <h2 id="actions-title">{t('listings.actions')}</h2>
      {!anyAction && <p className="muted">{t('listings.noActions')}</p>}
      {/* Keyed by state, so the forms come back empty after a successful action. */}
      <div className="actions" key={`actions-${l.status}-${data.timeline.length}`}>
        {data.can.submit && (
          <ActionForm intent="submit" label={t('listings.do.submit')} {...formProps('submit')}>
            <p className="field-help">{t('listings.help.submit')}</p>
          </ActionForm>
        )}
        {data.can.approve && (
          <ActionForm intent="approve" label={t('listings.do.approve')} {...formProps('approve')}>
            <p className="field-help">{t('listings.help.approve')}</p>
          </ActionForm>
        )}
        {data.can.returnToDraft && (
          <ActionForm
            intent="returnToDraft"
            label={t('listings.do.returnToDraft')}
            {...formProps('returnToDraft')}
          >
            <ReasonField
              intent="returnToDraft"
              label={t('listings.reason')}
              {...formProps('returnToDraft')}
            />
          </ActionForm>
        )}
        {data.can.suspend && (
          <ActionForm intent="suspend" label={t('listings.do.suspend')} {...formProps('suspend')}>
            <ReasonField intent="suspend" label={t('listings.publicReason')} {...formProps('suspend')} />
          </ActionForm>
        )}
        {data.can.resume && (
          <ActionForm intent="resume" label={t('listings.do.resume')} {...formProps('resume')}>
            <p className="field-help">{t('listings.help.beijingTime')}</p>
            <Field
              name="startsAt"
              id="resume-startsAt"
              type="datetime-local"
              label={t('listings.newStartsAt')}
              required
              defaultValue={data.resumeDefaults.startsAt}
              errors={formProps('resume').result?.fieldErrors?.startsAt}
            />
            <Field
              name="endsAt"
              id="resume-endsAt"
              type="datetime-local"
              label={t('listings.newEndsAt')}
              required
              defaultValue={data.resumeDefaults.endsAt}
              help={t('listings.help.endsAt')}
              errors={formProps('resume').result?.fieldErrors?.endsAt}
            />
            <ReasonField
              intent="resume"
              label={t('listings.publicReasonOptional')}
              optional
              {...formProps('resume')}
            />
          </ActionForm>
        )}
        {data.can.withdraw && (
          <ActionForm intent="withdraw" label={t('listings.do.withdraw')} danger {...formProps('withdraw')}>
            <ReasonField intent="withdraw" label={t('listings.publicReason')} {...formProps('withdraw')} />
          </ActionForm>
        )}
      </div>
      {data.can.amend && (
        <details className="card" key={`amend-${data.amendments.length}`} open={result?.intent === 'amend'}>
          <summary>{t('listings.do.amend')}</summary>
          <ActionForm
            intent="amend"
            label={t('listings.do.amendSubmit')}
            titled={false}
            {...formProps('amend')}
          >
            <TextAreaField
              name="text"
              id="amend-text"
              label={t('listings.amendText')}
              help={t('listings.help.amendText')}
              required
              errors={formProps('amend').result?.fieldErrors?.text}
            />
            {AMENDABLE.map((f) => (
              <TextAreaField
                key={f}
                name={f}
                id={`amend-${f}`}
                label={t(`listings.${f}`)}
                rows={f === 'specialNotices' ? 6 : 2}
                defaultValue={l[f]}
                errors={formProps('amend').result?.fieldErrors?.[f]}
              />
            ))}
          </ActionForm>
        </details>
      )}
    </section>
  );
}

type ActionResult = ReturnType<typeof useActionData<typeof action>>;

function ActionForm({
  intent,
  label,
  result,
  danger,
  titled = true,
  children,
}: {
  intent: Intent;
  label: string;
  result: ActionResult;
  danger?: boolean;
  /** A visible title (the amendment form has its <summary> instead). */
  titled?: boolean;
  children?: React.ReactNode;
}) {
  const busy = useNavigation().state === 'submitting';
  const titleId = `${intent}-title`;
  return (
    <Form
      method="post"
      className="stack card"
      aria-labelledby={titled ? titleId : undefined}
      aria-label={titled ? undefined : label}
      noValidate
    >
      {titled && <h3 id={titleId}>{label}</h3>}
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <FormError error={result?.formError} params={result?.params} />
      {children}
      <button type="submit" className={danger ? 'button button-secondary' : 'button'} disabled={busy}>
        {label}
      </button>
    </Form>
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
  result: ActionResult;
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
  const error = useRouteError();
  const { t } = useTranslation();
  const { listingId } = useParams();
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
      <p>
        {status !== 404 && listingId ? (
          <Link to={`/court/listings/${listingId}`}>{t('listings.backToListing')}</Link>
        ) : (
          <Link to="/court/listings">{t('listings.backToList')}</Link>
        )}
      </p>
    </section>
  );
}
