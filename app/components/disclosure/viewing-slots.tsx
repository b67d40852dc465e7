import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { ListingService } from '../../../server/auctions/listings';
import { formatDateTime } from '../../utils/format';
import { useLocale } from '../court/display';
import { CsrfInput } from '../forms';

type Viewings = Awaited<ReturnType<ListingService['publicViewings']>>;

/**
 * 看样 on the announcement (art. 7(2)): the slots with seats left, and for a signed-in bidder a
 * button to book or cancel; plain forms that post to /auctions/:id/viewings, so it works without
 * JavaScript. What each viewer may do comes decided from the service (`can`).
 */
export function ViewingSlots({
  listingId,
  viewings: v,
  answer,
}: {
  listingId: string;
  viewings: Viewings;
  answer: string | null;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const when = (d: Date | string) => formatDateTime(d, locale);
  const action = `/auctions/${listingId}/viewings`;
  return (
    <div className="stack" data-testid="viewing-slots">
      {answer && (
        <p
          className={answer === 'booked' || answer === 'cancelled' ? 'notice' : 'notice notice-warning'}
          role="status"
        >
          {t(answer.startsWith('disclosure.') ? answer : `disclosure.viewing.${answer}`)}
        </p>
      )}
      {v.slots.length === 0 ? (
        <p className="muted">{t('disclosure.viewing.none')}</p>
      ) : (
        <ul className="plain-list viewing-list" aria-label={t('disclosure.viewing.slots')}>
          {v.slots.map((s) => {
            const time = `${when(s.startsAt)} – ${when(s.endsAt)}`;
            return (
              <li key={s.id} className="card viewing-slot">
                <p>
                  <strong>{time}</strong>
                </p>
                <p>{s.place}</p>
                <p>
                  {s.past
                    ? t('disclosure.viewing.past')
                    : s.seatsLeft === 0
                      ? t('disclosure.viewing.full')
                      : t('disclosure.viewing.seatsLeft', { n: s.seatsLeft, total: s.capacity })}
                  {s.mine && (
                    <>
                      {' · '}
                      <strong>{t('disclosure.viewing.mine')}</strong>
                    </>
                  )}
                </p>
                {(s.can.book || s.can.cancel) && (
                  <Form method="post" action={action}>
                    <CsrfInput />
                    <input type="hidden" name="slotId" value={s.id} />
                    <input type="hidden" name="intent" value={s.can.book ? 'book' : 'cancel'} />
                    <button
                      type="submit"
                      className={s.can.book ? 'button' : 'button button-secondary'}
                      aria-label={t(
                        s.can.book ? 'disclosure.viewing.bookSlot' : 'disclosure.viewing.cancelSlot',
                        {
                          time,
                        },
                      )}
                    >
                      {t(s.can.book ? 'disclosure.viewing.book' : 'disclosure.viewing.cancel')}
                    </button>
                  </Form>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {v.open && v.slots.some((s) => !s.past) && !v.signedIn && (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(`/auctions/${listingId}`)}`}>
            {t('disclosure.viewing.signIn')}
          </Link>
        </p>
      )}
      {!v.open && v.slots.length > 0 && <p className="muted">{t('disclosure.viewing.closed')}</p>}
    </div>
  );
}
