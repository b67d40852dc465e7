import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CsrfInput } from '../forms';

export interface FollowBoxData {
  followers: number;
  following: boolean;
  endingSoonMinutes: number | null;
  choices: number[];
  can: { follow: boolean; unfollow: boolean };
}

/**
 * 关注 (ADR 027): follow or unfollow the auction without registering, and choose when before the
 * end to be reminded. A plain form post to /auctions/:id/follow: it works without JavaScript.
 * What the viewer may do comes from the service (`box.can`).
 */
export function FollowBox({
  listingId,
  box,
  answer,
  signedIn,
}: {
  listingId: string;
  box: FollowBoxData;
  answer: 'on' | 'off' | 'refused' | null;
  signedIn: boolean;
}) {
  const { t } = useTranslation();
  const action = `/auctions/${listingId}/follow`;
  const minuteLabel = (m: number) =>
    m === 0 ? t('follow.noEndingReminder') : t('follow.minutesBefore', { count: m });
  if (!signedIn)
    return (
      <section className="follow-box" id="follow" aria-labelledby="follow-title">
        <h2 id="follow-title" className="visually-hidden">
          {t('follow.title')}
        </h2>
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(`/auctions/${listingId}`)}`}>
            {t('follow.signIn')}
          </Link>
        </p>
      </section>
    );
  if (!box.can.follow && !box.can.unfollow) return null;
  return (
    <section className="follow-box" id="follow" aria-labelledby="follow-title">
      <h2 id="follow-title" className="visually-hidden">
        {t('follow.title')}
      </h2>
      {answer && (
        <p className={answer === 'refused' ? 'form-error' : 'notice'} role="status">
          {t(`follow.answer.${answer}`)}
        </p>
      )}
      {box.following && <p data-testid="following">{t('follow.following')}</p>}
      {box.can.follow && (
        <Form method="post" action={action} className="follow-form">
          <CsrfInput />
          <input type="hidden" name="intent" value="follow" />
          <label htmlFor="follow-minutes">{t('follow.remindMe')}</label>{' '}
          <select id="follow-minutes" name="minutes" defaultValue={box.endingSoonMinutes?.toString() ?? ''}>
            <option value="">{t('follow.myDefault')}</option>
            {box.choices.map((m) => (
              <option key={m} value={m}>
                {minuteLabel(m)}
              </option>
            ))}
          </select>{' '}
          <button type="submit" className={box.following ? 'button button-small' : 'button'}>
            {box.following ? t('follow.save') : t('follow.follow')}
          </button>
        </Form>
      )}
      {box.can.unfollow && (
        <Form method="post" action={action}>
          <CsrfInput />
          <input type="hidden" name="intent" value="unfollow" />
          <button type="submit" className="link-button">
            {t('follow.unfollow')}
          </button>
        </Form>
      )}
    </section>
  );
}
