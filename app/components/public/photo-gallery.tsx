import { type KeyboardEvent, type MouseEvent, type PointerEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLaterMessages } from '../../i18n/i18n';

interface Photo {
  id: string;
}

/** Shown only once the page runs (the viewer opens from a click): shipped with the page (ADR 004). */
const VIEWER_MESSAGES = [
  'gallery.viewerTitle',
  'gallery.close',
  'gallery.previous',
  'gallery.next',
  'gallery.swipeHelp',
];

const fileUrl = (p: Photo) => `/files/${p.id}`;

/**
 * The auction's photos as a buyer looks at them (issue 21): the chosen photo large, the others as
 * thumbnails beneath, a tap on the large one opening a full-screen viewer (a modal dialog: arrows
 * and swipes move through the photos, Escape closes, focus stays inside and goes back where it
 * came from). Without JavaScript every photo is a link to the full-size file. No library: the
 * live page's script stays small (issue 20).
 */
export function PhotoGallery({ photos, title }: { photos: readonly Photo[]; title: string }) {
  const { t } = useTranslation();
  useLaterMessages(VIEWER_MESSAGES);
  const [selected, setSelected] = useState(0);
  const [viewing, setViewing] = useState<number | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  if (photos.length === 0) return <p>{t('auction.noPhotos')}</p>;
  const alt = (i: number) => t('auction.photoAlt', { title, n: i + 1, count: photos.length });
  const current = Math.min(selected, photos.length - 1);

  function open(e: MouseEvent<HTMLAnchorElement>) {
    e.preventDefault();
    opener.current = e.currentTarget;
    setViewing(current);
  }
  function close() {
    setViewing(null);
    opener.current?.focus();
  }
  return (
    <div className="gallery">
      <a
        className="gallery-main"
        href={fileUrl(photos[current]!)}
        onClick={open}
        aria-haspopup="dialog"
        aria-describedby="gallery-open-help"
        data-testid="gallery-main"
      >
        <img src={fileUrl(photos[current]!)} alt={alt(current)} decoding="async" />
      </a>
      <p id="gallery-open-help" className="visually-hidden">
        {t('gallery.openHelp')}
      </p>
      {photos.length > 1 && (
        <ul className="gallery-thumbs" aria-label={t('gallery.thumbnails')}>
          {photos.map((p, i) => (
            <li key={p.id}>
              {/* A control, named by what it does; the large photo carries the description. */}
              <a
                href={fileUrl(p)}
                aria-label={t('gallery.show', { n: i + 1, count: photos.length })}
                aria-current={i === current ? 'true' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  setSelected(i);
                }}
              >
                <img src={fileUrl(p)} alt="" loading="lazy" decoding="async" />
              </a>
            </li>
          ))}
        </ul>
      )}
      {viewing !== null && (
        <PhotoViewer
          photos={photos}
          index={viewing}
          alt={alt}
          onMove={(i) => {
            setViewing(i);
            setSelected(i);
          }}
          onClose={close}
        />
      )}
    </div>
  );
}

/** A swipe: far enough sideways, and more sideways than up or down (a scroll is not a swipe). */
const SWIPE_PX = 40;

function PhotoViewer({
  photos,
  index,
  alt,
  onMove,
  onClose,
}: {
  photos: readonly Photo[];
  index: number;
  alt: (i: number) => string;
  onMove: (i: number) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const start = useRef<{ x: number; y: number; pointer: number } | null>(null);
  const many = photos.length > 1;
  const step = (by: number) => onMove((index + by + photos.length) % photos.length);

  useEffect(() => {
    const d = dialog.current;
    // A modal dialog: the rest of the page is inert while it is open.
    if (d && !d.open) d.showModal();
    return () => {
      if (d?.open) d.close();
    };
  }, []);

  function onKeyDown(e: KeyboardEvent<HTMLDialogElement>) {
    if (e.key === 'ArrowRight' && many) {
      e.preventDefault();
      step(1);
    } else if (e.key === 'ArrowLeft' && many) {
      e.preventDefault();
      step(-1);
    } else if (e.key === 'Tab') {
      // Focus stays in the viewer: from the last control to the first and back.
      const controls = [...(dialog.current?.querySelectorAll<HTMLElement>('button:not([disabled])') ?? [])];
      const first = controls[0];
      const last = controls[controls.length - 1];
      if (!first || !last) return;
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  }

  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    start.current = { x: e.clientX, y: e.clientY, pointer: e.pointerId };
  }
  function onPointerUp(e: PointerEvent<HTMLDivElement>) {
    const s = start.current;
    start.current = null;
    if (!s || s.pointer !== e.pointerId || !many) return;
    const dx = e.clientX - s.x;
    const dy = e.clientY - s.y;
    if (Math.abs(dx) >= SWIPE_PX && Math.abs(dx) > Math.abs(dy)) step(dx < 0 ? 1 : -1);
  }

  return (
    <dialog
      ref={dialog}
      className="gallery-viewer"
      aria-labelledby="gallery-viewer-title"
      onKeyDown={onKeyDown}
      // Escape (the dialog's cancel) and any other close: back to the page, focus where it was.
      onClose={onClose}
      data-testid="gallery-viewer"
    >
      <div className="gallery-viewer-bar">
        <h2 id="gallery-viewer-title" aria-live="polite">
          {t('gallery.viewerTitle', { n: index + 1, count: photos.length })}
        </h2>
        <button
          type="button"
          className="button gallery-close"
          // biome-ignore lint/a11y/noAutofocus: the dialog's first control takes the focus when it opens
          autoFocus
          onClick={() => dialog.current?.close()}
        >
          {t('gallery.close')}
        </button>
      </div>
      <div
        className="gallery-stage"
        onPointerDown={onPointerDown}
        onPointerUp={onPointerUp}
        onPointerCancel={() => {
          start.current = null;
        }}
      >
        <img src={fileUrl(photos[index]!)} alt={alt(index)} draggable={false} />
      </div>
      {many && (
        <div className="gallery-viewer-nav">
          <button type="button" className="button" onClick={() => step(-1)}>
            {t('gallery.previous')}
          </button>
          <p className="gallery-swipe-help">{t('gallery.swipeHelp')}</p>
          <button type="button" className="button" onClick={() => step(1)}>
            {t('gallery.next')}
          </button>
        </div>
      )}
    </dialog>
  );
}
