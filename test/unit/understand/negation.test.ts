import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, normalize } from '../../../lib/understand';
import { isNegated } from '../../../lib/understand/negation';

describe('negation', () => {
  it.each<[string, string, boolean]>([
    ['不需要报价', '报价', true],
    ['没有预算', '预算', true],
    ['暂时没有什么采购需求', '采购', true],
    ['我们暂不采购', '采购', true],
    ['no budget this year', 'budget', true],
    ["we don't need a quote", 'quote', true],
    ['价格已经发过了', '价格', true], // closed after the term
    ['电话打不通', '电话', true],
    ['不错，发个报价吧', '报价', false],
    ['没问题，报价发我', '报价', false],
    ['有没有优惠', '优惠', false], // an A-not-A question
    ['不知道价格多少', '价格', false],
    ['别家价格更低', '价格', false],
    ['不用了，报价还是发我吧', '报价', false], // a clause break stops the cue
    ['not sure about the price', 'price', false],
    ['no problem, send the quote', 'quote', false],
    ['我没有在很久很久以前说过需要报价', '报价', false], // too far away
  ])('%s → %s negated: %s', (text, term, negated) => {
    expect(isNegated(normalize(text), term, DEFAULT_RULES)).toBe(negated);
  });
});
