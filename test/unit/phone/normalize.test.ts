import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../../lib/phone';

describe('normalizePhone', () => {
  it.each([
    // Chinese mobiles, every way people write them
    ['13800138000', '+8613800138000'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['0086-138-0013-8000', '+8613800138000'],
    ['86 13800138000', '+8613800138000'],
    ['8613800138000', '+8613800138000'],
    ['(+86)138-0013-8000', '+8613800138000'],
    ['１３８００１３８０００', '+8613800138000'],
    ['＋８６ １３８ ００１３ ８０００', '+8613800138000'],
    ['  138.0013.8000  ', '+8613800138000'],
    ['tel:+8613800138000', '+8613800138000'],
    ['19912345678', '+8619912345678'],
    // Chinese landlines (area code with its trunk 0)
    ['010-12345678', '+861012345678'],
    ['0755-12345678', '+8675512345678'],
    ['(021)1234-5678', '+862112345678'],
    ['（０２１）１２３４－５６７８', '+862112345678'],
    // international
    ['+1 415 555 2671', '+14155552671'],
    ['+1 (415) 555-2671', '+14155552671'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+65 6123 4567', '+6561234567'],
    ['+65 9123 4567', '+6591234567'],
  ])('%s → %s', (raw, e164) => {
    expect(normalizePhone(raw)).toBe(e164);
  });

  it.each([
    ['12345'],
    ['1380013800'], // 10 digits
    ['138001380001'], // 12 digits
    ['00000000000'],
    ['12012345678'], // 11 digits but not 1[3-9]
    ['10012345678'],
    ['12345678'], // no area code
    ['20261121'], // a date written as digits
    ['2026-11-21'],
    ['random text'],
    ['call 13800138000'], // text around it: extractPhones' job, not this one
    ['13800138000元'],
    [''],
    ['   '],
    ['+'],
    ['+44 20 7946'],
  ])('%s → null', (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });

  it('reads national numbers in the given default region', () => {
    expect(normalizePhone('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
    // a Chinese 11-digit mobile means nothing in the US plan
    expect(normalizePhone('13800138000', 'US')).toBeNull();
    // an explicit country code wins over the default region
    expect(normalizePhone('+86 138 0013 8000', 'US')).toBe('+8613800138000');
  });
});
