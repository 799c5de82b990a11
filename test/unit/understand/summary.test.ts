import { describe, expect, it } from 'vitest';
import { clip, understand } from '../../../lib/understand';
import type { ChatMessage } from '../../../lib/model';

const now = Date.UTC(2026, 2, 11, 2);
const msgs = (...texts: Array<[string, 'in' | 'out']>): ChatMessage[] => texts.map(([text, direction], i) => ({ id: String(i), direction, text }));
const cps = (s: string) => Array.from(s).length;

describe('summary', () => {
  it('keeps the key sentences within 50 字', () => {
    const s = understand(
      msgs(
        ['你好', 'in'],
        ['我们是做餐饮的，开了三家店，最近想扩张。', 'in'],
        ['想做个经营贷，大概需要80万，利率多少？最好下个月初能放款。', 'in'],
        ['好的，我明天下午3点给您打电话详细介绍。', 'out'],
        ['嗯嗯好的', 'in'],
      ),
      { now, products: ['经营贷'] },
    ).summary;
    expect(cps(s)).toBeLessThanOrEqual(50);
    expect(s).toContain('经营贷');
    expect(s).toContain('80万');
    expect(s).not.toContain('嗯嗯');
  });

  it('is empty when every message is noise', () => {
    expect(understand(msgs(['在吗', 'in'], ['你好', 'in'], ['👍', 'in']), { now, products: [] }).summary).toBe('');
  });

  it('uses a short sentence for English', () => {
    const s = understand(msgs(['Hi there', 'in'], ['Could you send a quotation for 500 thermal printers? We need them by Friday.', 'in']), { now, products: [] }).summary;
    expect(s).toMatch(/quotation/);
    expect(cps(s)).toBeLessThanOrEqual(120);
  });

  it('never cuts an emoji, a number or a word in half', () => {
    const long = '客户说😀'.repeat(20);
    const c = clip(long, 50);
    expect(cps(c)).toBeLessThanOrEqual(50);
    expect(c.endsWith('…')).toBe(true);
    expect(Array.from(c).every((ch) => ch !== '\ufffd')).toBe(true);
    expect(clip('预算大概是1234567890123456789012345678901234567890元，越快越好', 20)).not.toMatch(/\d…$/);
    expect(clip('short', 50)).toBe('short');
  });

  it('clips one very long key sentence', () => {
    const s = understand(msgs(['我们公司想采购一批工业级扫码枪用于仓库出入库管理需要支持蓝牙和有线两种连接方式还要能识别破损条码请报个价', 'in']), { now, products: [] }).summary;
    expect(cps(s)).toBeLessThanOrEqual(50);
    expect(s.endsWith('…')).toBe(true);
  });
});
