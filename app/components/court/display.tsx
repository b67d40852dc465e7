import { useTranslation } from 'react-i18next';
import type { Listing } from '../../../db/schema/auctions';
import type { CourtListingStatus } from '../../../server/auctions/rules';
import type { Locale } from '../../../server/http/cookies';
import { StatusTag } from '../staff/status-tag';

/** The page's locale for formatDateTime, from the i18n instance the root keeps in step. */
export function useLocale(): Locale {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/** An address: run together in Chinese (青海省西宁市城西区…), comma-separated in English. */
export function usePlace() {
  const locale = useLocale();
  return (...parts: (string | null | undefined)[]) =>
    parts.filter((p): p is string => !!p?.trim()).join(locale === 'en' ? ', ' : '');
}

/** "Label: value" with the colon of the page's language. */
export function LabelledValue({ label, value }: { label: string; value: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      {label}
      {t('listings.colon')}
      {value}
    </>
  );
}

/** A listing's status as a tag, and how it ended once it has (sold, failed, defaulted). */
export function ListingStatus({
  listing,
}: {
  listing: Pick<Listing, 'outcome'> & { courtStatus: CourtListingStatus };
}) {
  const { t } = useTranslation();
  return (
    <>
      <StatusTag catalog="listingStatus" value={listing.courtStatus} />
      {listing.outcome && ` ${t(`publicStatus.${listing.outcome}`)}`}
    </>
  );
}

interface StoredFile {
  id: string;
  kind: string;
  filename: string;
  contentType: string;
  size: number;
}

/** Photos as images (with alt text), documents as links; both served by /files/:id. */
export function FileList({ files, title }: { files: readonly StoredFile[]; title: string }) {
  const { t } = useTranslation();
  const photos = files.filter((f) => f.kind === 'photo' && f.contentType.startsWith('image/'));
  const documents = files.filter((f) => !photos.includes(f));
  if (files.length === 0) return <p className="muted">{t('files.none')}</p>;
  return (
    <>
      {photos.length > 0 && (
        <ul className="photos">
          {photos.map((f, i) => (
            <li key={f.id}>
              <figure>
                <a href={`/files/${f.id}`}>
                  <img
                    src={`/files/${f.id}`}
                    alt={t('files.photoAlt', { title, n: i + 1 })}
                    loading="lazy"
                    width={320}
                    height={240}
                  />
                </a>
                <figcaption>{f.filename}</figcaption>
              </figure>
            </li>
          ))}
        </ul>
      )}
      {documents.length > 0 && (
        <ul>
          {documents.map((f) => (
            <li key={f.id}>
              <a href={`/files/${f.id}`} type={f.contentType}>
                {f.filename}
              </a>{' '}
              <span className="tag">{t(`fileKind.${f.kind}`)}</span>{' '}
              <span className="muted">{t('files.size', { kb: Math.max(1, Math.round(f.size / 1024)) })}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
