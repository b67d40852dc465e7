import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { serverI18n } from './catalogs.server';
import { createI18n } from './i18n';
import { recordMessages, shippedScript } from './shipped';

/** A component that reads a plain message, a plural, an object and an unknown key. */
function Sample({ count }: { count: number }) {
  const { t } = useTranslation();
  const fields = t('record.fields', { returnObjects: true }) as Record<string, string>;
  return createElement(
    'p',
    null,
    t('common.appName'),
    ' · ',
    t('live.bidCount', { count }),
    ' · ',
    fields.bidCount,
    ' · ',
    t('search.title'),
  );
}

const render = (i18n: ReturnType<typeof serverI18n>, count: number) =>
  renderToStaticMarkup(createElement(I18nextProvider, { i18n }, createElement(Sample, { count })));

describe('messages on the wire (ADR 004)', () => {
  it('ships what the page looked up, and the page renders the same from that alone', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const full = serverI18n(locale);
      const shipped = recordMessages(full);
      const html = render(full, 2);
      const alone = createI18n(locale, shipped());
      expect(render(alone, 2)).toBe(html);
      expect(html).not.toContain('live.bidCount');
    }
  });

  it('ships nothing the page did not use: the plural form rendered, not its siblings, and no other area', () => {
    const full = serverI18n('en');
    const shipped = recordMessages(full);
    render(full, 2);
    const tree = shipped().en!.translation as Record<string, Record<string, unknown>>;
    expect(Object.keys(tree).sort()).toEqual(['common', 'live', 'record', 'search']);
    expect(Object.keys(tree.common!)).toEqual(['appName']);
    expect(tree.live).toEqual({ bidCount_other: '{{count}} bids' });
    // The whole object asked for, copied: the catalog itself is not handed out.
    expect((tree.record as Record<string, unknown>).fields).toEqual(
      (full.getResourceBundle('en', 'translation') as Record<string, Record<string, unknown>>).record!.fields,
    );
    expect((tree.record as Record<string, unknown>).fields).not.toBe(
      (full.getResourceBundle('en', 'translation') as Record<string, Record<string, unknown>>).record!.fields,
    );
  });

  it('a missing message asks for the whole catalog', () => {
    let asked = 0;
    const i18n = createI18n(
      'en',
      { en: { translation: { common: { appName: 'LastMile' } } } },
      {
        onMissing: () => asked++,
      },
    );
    expect(i18n.t('common.appName')).toBe('LastMile');
    expect(asked).toBe(0);
    i18n.t('search.title');
    expect(asked).toBe(1);
  });

  it('the script cannot be closed early by a message, and carries the nonce', () => {
    const script = shippedScript(
      { en: { translation: { x: '</script><script>alert(1)</script>\u2028' } } },
      'abc+/=',
    );
    expect(script.startsWith('<script nonce="abc+/=">window.__lmMessages=')).toBe(true);
    expect(script.match(/<\/script>/g)).toHaveLength(1);
    expect(script).not.toContain('\u2028');
    const json = script.slice(
      script.indexOf('__lmMessages=') + '__lmMessages='.length,
      script.lastIndexOf(';document'),
    );
    expect(JSON.parse(json)).toEqual({
      en: { translation: { x: '</script><script>alert(1)</script>\u2028' } },
    });
  });
});
