import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { CsrfInput } from '../components/forms';
import moneyCss from '../components/money/money.css?url';
import { pageTitle } from '../components/public/meta';
import { formatMoney } from '../utils/format';
import { act, load, readForm, requireAuth } from '../utils/route.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: moneyCss }];
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'simulator.title');

const ParamsSchema = z.object({ ref: z.string().regex(/^lp_[0-9a-f]{24}$/) });

/**
 * The local simulated gateway's payer page (the embedded default without Stripe). It exists
 * only when the local gateway does: never in production, never with Stripe (404).
 */
function gatewayOf(context: LoaderFunctionArgs['context'], params: LoaderFunctionArgs['params']) {
  const gateway = context.services.localGateway;
  const parsed = ParamsSchema.safeParse(params);
  if (!gateway || !parsed.success) throw data({ messageKey: 'errors.notFound' }, { status: 404 });
  return { gateway, ref: parsed.data.ref };
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  const { gateway, ref } = gatewayOf(context, params);
  return load(request, async () => {
    const state = await gateway.view(ref);
    // Only the payer may see or decide his payment.
    const back = await context.services.payments.returnPathOf(auth.actor, state.paymentId ?? '');
    return {
      ref,
      amountFen: state.amountFen.toString(),
      status: state.status,
      hold: state.status === 'requires_payment' ? null : state.authorizedFen > 0n,
      back,
    };
  });
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const { gateway, ref } = gatewayOf(context, params);
  const form = await readForm(request, context);
  return act(request, async () => {
    const state = await gateway.view(ref);
    const back = await context.services.payments.returnPathOf(auth.actor, state.paymentId ?? '');
    await gateway.decide(ref, form.get('decision') === 'approve' ? 'approve' : 'decline');
    throw redirect(back);
  });
}

export default function LocalSimulator() {
  const p = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const busy = useNavigation().state === 'submitting';
  return (
    <section className="page narrow simulator" aria-labelledby="sim-title">
      <p className="simulated-banner" role="note">
        {t('simulator.banner')}
      </p>
      <h1 id="sim-title">{t('simulator.title')}</h1>
      <dl className="facts">
        <dt>{t('pay.amount')}</dt>
        <dd className="money">{formatMoney(p.amountFen)}</dd>
        <dt>{t('pay.status')}</dt>
        <dd>{t(`pay.paymentStatus.${p.status}`)}</dd>
      </dl>
      {p.status === 'requires_payment' ? (
        <Form method="post" className="stack">
          <CsrfInput />
          <p>{t('simulator.help')}</p>
          <div className="button-row">
            <button type="submit" name="decision" value="approve" className="button" disabled={busy}>
              {t('simulator.approve')}
            </button>
            <button
              type="submit"
              name="decision"
              value="decline"
              className="button button-secondary"
              disabled={busy}
            >
              {t('simulator.decline')}
            </button>
          </div>
        </Form>
      ) : (
        <p>
          <a href={p.back}>{t('simulator.back')}</a>
        </p>
      )}
    </section>
  );
}
