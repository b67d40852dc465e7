/**
 * An amount in Chinese capital numerals (大写金额), the way a bank slip or a court's ruling writes
 * it so no digit can be altered: 161000000 fen → "壹佰陆拾壹万元整". Integer fen in, text out;
 * the rules of 《支付结算办法》 附件一 (正确填写票据和结算凭证的基本规定):
 * - a run of zeros inside the number is one 零 (壹仟万零伍仟元整), trailing zeros say nothing;
 * - whole yuan end with 整; an amount to the 角 or 分 does not (壹元伍角, 壹元零伍分);
 * - 拾 keeps its digit (壹拾元整), zero is 零元整.
 */
const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const IN_GROUP = ['', '拾', '佰', '仟'] as const;
/** Units of the four-digit groups: 万, 亿, then 万亿 (兆 is not used on slips). */
const GROUPS = ['', '万', '亿', '万亿'] as const;

export function capitalWords(fen: bigint | string | number): string {
  const value = BigInt(fen);
  if (value < 0n) throw new RangeError('capitalWords: a negative amount');
  const yuan = (value / 100n).toString();
  if (yuan.length > 16) throw new RangeError('capitalWords: the amount is too large');
  const jiao = Number((value / 10n) % 10n);
  const cents = Number(value % 10n);

  let out = '';
  let zero = false;
  if (yuan !== '0') {
    for (let i = 0; i < yuan.length; i++) {
      const d = Number(yuan[i]);
      const p = yuan.length - 1 - i;
      if (d === 0) zero = out !== '';
      else {
        if (zero) out += '零';
        zero = false;
        out += DIGITS[d]! + IN_GROUP[p % 4]!;
      }
      // The group's unit, once its four digits are read, unless all four are zero.
      if (p % 4 === 0 && p > 0 && /[1-9]/.test(yuan.slice(Math.max(0, i - 3), i + 1))) out += GROUPS[p / 4]!;
    }
    out += '元';
  }
  if (jiao === 0 && cents === 0) return out === '' ? '零元整' : `${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (out !== '') out += '零'; // 壹元零伍分
  if (cents > 0) out += `${DIGITS[cents]}分`;
  return out;
}
