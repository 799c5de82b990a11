import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, findProducts } from '../../../lib/understand';
import { DEFAULT_PRODUCTS } from '../../../lib/model';

const products = [...DEFAULT_PRODUCTS];

describe('findProducts', () => {
  it.each<[string, string[]]>([
    ['想了解一下经营贷', ['经营贷']],
    ['经营性贷款要什么资料', ['经营贷']],
    ['汽车贷款和信用贷款有什么区别', ['车贷', '信用贷']],
    ['无抵押贷款最快多久', ['信用贷']], // not 抵押贷
    ['房抵能做多少', ['抵押贷']],
    ["What's the rate on a business loan?", ['经营贷']],
    ['I need a CAR LOAN', ['车贷']],
    ['經營貸利率多少', ['经营贷']], // traditional characters
    ['车贷车贷车贷', ['车贷']],
    ['今天天气不错', []],
  ])('%s', (text, expected) => expect(findProducts(text, products, DEFAULT_RULES)).toEqual(expected));

  it('matches the user’s own products by name, case-insensitively', () => {
    expect(findProducts('Widget Pro 有现货吗', ['widget pro', '扫码枪'], DEFAULT_RULES)).toEqual(['widget pro']);
    expect(findProducts('经营贷', [], DEFAULT_RULES)).toEqual([]);
  });
});
