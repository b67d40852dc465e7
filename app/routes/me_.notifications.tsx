import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CsrfInput, SelectField } from '../components/forms';
import { TableFrame } from '../components/table-frame';
import { formatDateTime } from '../utils/format';
import { useRootData } from '../utils/root-data';
import { act, type FormErrorData, load, readForm, requireAuth } from '../utils/route.server';

export const meta: MetaFunction = () => [{ title: '通知设置 · 最后一公里' }];

/** 通知设置 (ADR 025): how each kind of notice reaches the signed-in person, in which language, and when. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const auth = requireAuth(context, request);
  return load(request, async () => {
    const prefs = await context.services.notifications.preferences(auth.actor);
    // Until he saves once, the language offered is the one he reads the site in.
    return { ...prefs, locale: prefs.locale ?? context.locale };
  });
}

export async function action({ context, request }: ActionFunctionArgs) {
  const auth = requireAuth(context, request);
  const form = await readForm(request, context);
  return act(request, () =>
    context.services.notifications.savePreferences(auth.actor, {
      locale: form.get('locale'),
      endingSoonMinutes: form.get('endingSoonMinutes') ?? '0',
      choices: form.getAll('choice'),
    }),
  );
}

export default function NotificationSettings() {
  const d = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as ({ saved?: true } & FormErrorData) | undefined;
  const busy = useNavigation().state === 'submitting';
  const { t } = useTranslation();
  const locale = useRootData()?.locale ?? 'zh-CN';
  return (
    <section className="page" aria-labelledby="prefs-title">
      <h1 id="prefs-title">{t('notify.prefs.title')}</h1>
      <p className="lead">{t('notify.prefs.intro')}</p>
      {answer?.saved && (
        <p role="status" className="notice notice-success">
          {t('notify.prefs.saved')}
        </p>
      )}
      {answer?.formError && (
        <p role="alert" className="notice notice-error">
          {t(answer.formError)}
        </p>
      )}
      <h2 id="prefs-contact">{t('notify.prefs.contact')}</h2>
      <ul aria-labelledby="prefs-contact">
        <li>{t('notify.prefs.email', { email: d.email })}</li>
        <li>{d.phone ? t('notify.prefs.phone', { phone: d.phone }) : t('notify.prefs.noPhone')}</li>
      </ul>
      <Form method="post" className="stack">
        <CsrfInput />
        <TableFrame label={t('notify.prefs.kindsCaption')}>
          <table>
            <caption>{t('notify.prefs.kindsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('notify.prefs.kindHeader')}</th>
                <th scope="col">{t('notify.channel.site')}</th>
                <th scope="col">{t('notify.channel.email')}</th>
                <th scope="col">{t('notify.channel.sms')}</th>
              </tr>
            </thead>
            <tbody>
              {d.kinds.map((k) => (
                <tr key={k.kind}>
                  <th scope="row">{t(`notify.kind.${k.kind}`)}</th>
                  <td>{t('notify.prefs.alwaysOn')}</td>
                  {k.channels.map((c) => (
                    <td key={c.channel}>
                      <input
                        type="checkbox"
                        name="choice"
                        value={`${k.kind}:${c.channel}`}
                        defaultChecked={c.on && c.available}
                        disabled={!c.available}
                        aria-label={t('notify.prefs.channelFor', {
                          kind: t(`notify.kind.${k.kind}`),
                          channel: t(`notify.channel.${c.channel}`),
                        })}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
        <SelectField
          name="locale"
          id="prefs-locale"
          label={t('notify.prefs.language')}
          defaultValue={d.locale}
          options={[
            { value: 'zh-CN', label: '中文' },
            { value: 'en', label: 'English' },
          ]}
        />
        {d.bidder ? (
          <SelectField
            name="endingSoonMinutes"
            id="prefs-ending-soon"
            label={t('notify.prefs.endingSoon')}
            defaultValue={String(d.endingSoonMinutes)}
            errors={answer?.fieldErrors?.endingSoonMinutes}
            options={d.endingSoonChoices.map((m) => ({
              value: String(m),
              label:
                m === 0 ? t('notify.prefs.endingSoonOff') : t('notify.prefs.endingSoonMinutes', { count: m }),
            }))}
          />
        ) : (
          <input type="hidden" name="endingSoonMinutes" value={d.endingSoonMinutes} />
        )}
        <button type="submit" className="button" disabled={busy}>
          {t('notify.prefs.save')}
        </button>
      </Form>
      <h2 id="prefs-recent">{t('notify.prefs.recent')}</h2>
      {d.recent.length === 0 ? (
        <p className="muted">{t('notify.prefs.recentEmpty')}</p>
      ) : (
        <TableFrame label={t('notify.prefs.recentCaption')}>
          <table>
            <caption>{t('notify.prefs.recentCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('notify.prefs.at')}</th>
                <th scope="col">{t('notify.prefs.kindHeader')}</th>
                <th scope="col">
                  {t('notify.channel.email')}/{t('notify.channel.sms')}
                </th>
                <th scope="col">{t('notify.prefs.state')}</th>
              </tr>
            </thead>
            <tbody>
              {d.recent.map((r) => (
                <tr key={r.id}>
                  <td>{formatDateTime(r.createdAt, locale)}</td>
                  <th scope="row">
                    {t(`notify.kind.${r.kind}`, { defaultValue: t(`notifications.${r.kind}`) })}
                  </th>
                  <td>{t(`notify.channel.${r.channel}`)}</td>
                  <td>{t(`notify.status.${r.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </section>
  );
}
