import { describe, expect, it } from 'vitest';
import { deriveSearchKeys, MAX_SEARCH_KEYS, MAX_SEARCH_KEY_LENGTH } from '../../../lib/search/keys';

const base = { name: '', phones: [] as string[], code: '' };

describe('deriveSearchKeys', () => {
  it('covers name, pinyin, phones, code, wechat, email and company', () => {
    const keys = deriveSearchKeys({
      name: '张三丰',
      company: '广东省深圳市腾讯科技有限公司',
      phones: ['+8613800138000', '+861012345678'],
      code: 'KH2026-0001',
      wechatId: 'ZhangSF',
      email: 'Zhang@Example.com',
    });
    for (const k of [
      '张三丰',
      'zsf',
      'zhangsanfeng',
      '8613800138000',
      '13800138000',
      '861012345678',
      '1012345678',
      '01012345678',
      'kh2026-0001',
      'kh20260001',
      'zhangsf',
      'zhang@example.com',
      '广东省深圳市腾讯科技有限公司',
      '腾讯科技有限公司',
    ]) {
      expect(keys).toContain(k);
    }
    expect(keys).not.toContain('+8613800138000');
    expect(keys).not.toContain('ZhangSF');
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each<[string, string[]]>([
    ['张三', ['张三', 'zhangsan', 'zs']],
    ['单雄信', ['shanxiongxin', 'sxx']], // 单 as a surname is shan, not dan
    ['曾国藩', ['zengguofan', 'zgf']],
    ['吕布', ['lvbu', 'lb']], // ü typed as v
    ['John  Smith', ['john smith', 'johnsmith', 'john', 'smith']],
    ['ＡＢＣ 公司', ['abc 公司', 'abc', '公司', 'gongsi', 'gs']],
    ['李-娜 Lina', ['李-娜 lina', 'lina', 'lina', 'ln']],
  ])('name %s', (name, expected) => {
    const keys = deriveSearchKeys({ ...base, name });
    for (const k of expected) expect(keys).toContain(k);
  });

  it('adds no pinyin for names without Chinese characters', () => {
    expect(deriveSearchKeys({ ...base, name: 'Tom' })).toEqual(['tom']);
  });

  it('keeps international numbers with and without the country code', () => {
    const keys = deriveSearchKeys({ ...base, name: 'Ann', phones: ['+14155552671', '+442079460958'] });
    expect(keys).toEqual(expect.arrayContaining(['14155552671', '4155552671', '442079460958', '2079460958', '02079460958']));
  });

  it('tolerates a legacy phone that is not E.164', () => {
    expect(deriveSearchKeys({ ...base, name: 'x', phones: ['138-0013-8000'] })).toContain('13800138000');
  });

  it('is bounded in count and length', () => {
    const keys = deriveSearchKeys({
      ...base,
      name: Array.from({ length: 60 }, (_, i) => `word${i}`).join(' '),
      email: `${'a'.repeat(100)}@example.com`,
      phones: Array.from({ length: 20 }, (_, i) => `+86139001390${String(i).padStart(2, '0')}`),
    });
    expect(keys.length).toBeLessThanOrEqual(MAX_SEARCH_KEYS);
    expect(keys.length).toBeGreaterThan(10);
    for (const k of keys) expect(k.length).toBeLessThanOrEqual(MAX_SEARCH_KEY_LENGTH);
    // the whole name comes first and survives the cut, truncated
    expect(keys[0]).toBe('word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word'.slice(0, 64));
  });

  it('yields no empty keys for an empty customer', () => {
    expect(deriveSearchKeys({ ...base, company: '  ', wechatId: '', email: '' })).toEqual([]);
  });
});
