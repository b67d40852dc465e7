import { describe, expect, it } from 'vitest';
import en from '../../app/i18n/money.en.json';
import zh from '../../app/i18n/money.zh-CN.json';
import { DECLINE_REASONS, declineReasonOf } from './decline-reasons';

// Issue 21: "raw codes such as card_declined shown as text". A gateway's code becomes a reason
// the catalogs word in both languages; an unknown code is `other`, never itself.
describe('declineReasonOf', () => {
  it('words the codes the gateways send, hides lost or stolen cards behind a plain decline', () => {
    expect(declineReasonOf(null)).toBeNull();
    expect(declineReasonOf('card_declined')).toBe('card_declined'); // the local gateway's
    expect(declineReasonOf('insufficient_funds')).toBe('insufficient_funds');
    expect(declineReasonOf('expired_card')).toBe('expired_card');
    for (const code of ['generic_decline', 'do_not_honor', 'lost_card', 'stolen_card', 'fraudulent'])
      expect(declineReasonOf(code)).toBe('card_declined');
    expect(declineReasonOf('some_future_code')).toBe('other');
  });

  it('has a message for every reason in Chinese and English, none of them the code', () => {
    for (const reason of DECLINE_REASONS)
      for (const catalog of [zh, en]) {
        const text = (catalog.pay.decline as Record<string, string>)[reason];
        expect(text, reason).toBeTruthy();
        expect(text).not.toContain('_');
      }
    expect(zh.pay.declined).not.toContain('{{code}}');
    expect(en.pay.declined).not.toContain('{{code}}');
  });
});
