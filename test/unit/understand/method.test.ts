import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, analyzeMessage, understand, zhibangSort } from '../../../lib/understand';

const ctx = { now: Date.UTC(2026, 2, 11, 2), timeZone: 'Asia/Shanghai', products: [], rules: DEFAULT_RULES };
const method = (text: string, direction: 'in' | 'out' = 'in') => analyzeMessage({ id: 'm', direction, text }, ctx).method;

describe('follow-up method and 智邦 sort codes', () => {
  it.each<[string, string | undefined, number | undefined]>([
    ['我明天给您打电话', '电话', 481],
    ['Call me tomorrow at 3pm', '电话', 481],
    ['资料发我邮箱', '邮件', 482],
    ["I'll email you the documents", '邮件', 482],
    ['下周上门拜访', '面谈', 483],
    ['明天见面聊吧', '面谈', 483],
    ['Can we meet at your office?', '面谈', 483],
    ['加个微信吧', '微信', 484],
    ['微信上说不清，我给您打个电话', '电话', 481],
    ['电话打不通，发邮件吧', '邮件', 482],
    ['我不方便接电话，微信聊就行', '微信', 484],
    ['这个月电话费太贵了', undefined, undefined],
    ['价格多少', undefined, undefined],
  ])('%s → %s %s', (text, m, code) => {
    const hit = method(text);
    expect(hit?.method).toBe(m);
    expect(hit?.zhibang).toBe(code);
  });

  it('maps every method to a sort, 484 by default', () => {
    expect(zhibangSort('电话', DEFAULT_RULES)).toBe(481);
    expect(zhibangSort('邮件', DEFAULT_RULES)).toBe(482);
    expect(zhibangSort('面谈', DEFAULT_RULES)).toBe(483);
    expect(zhibangSort('微信', DEFAULT_RULES)).toBe(484);
    expect(zhibangSort('其他', DEFAULT_RULES)).toBe(484);
  });

  it('defaults to the chat itself, and the latest mention wins', () => {
    const base = { now: ctx.now, products: [] };
    expect(understand([{ id: '1', direction: 'in', text: '利率多少' }], base)).toMatchObject({ method: '微信', zhibangSort: 484 });
    expect(understand([{ id: '1', direction: 'in', text: '利率多少' }], { ...base, defaultMethod: '其他' }).method).toBe('其他');
    const u = understand(
      [
        { id: '1', direction: 'in', text: '加个微信吧' },
        { id: '2', direction: 'out', text: '好的，我明天下午给您打电话' },
      ],
      base,
    );
    expect(u).toMatchObject({ method: '电话', zhibangSort: 481, methodEvidence: { messageId: '2', direction: 'out' } });
  });
});
