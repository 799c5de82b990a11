import { describe, expect, it } from 'vitest';
import { findTime } from '../../../lib/understand';

// Wednesday 2026-03-11 10:00 in Shanghai (02:00Z).
const NOW = Date.UTC(2026, 2, 11, 2, 0);
const sh = (d: number, h: number, mi = 0): number => Date.UTC(2026, 2, d, h - 8, mi);

describe('findTime (Asia/Shanghai, now = Wed 2026-03-11 10:00)', () => {
  it.each<[string, number | null, string?]>([
    ['明天下午3点给您打电话', sh(12, 15), '明天下午3点'],
    ['后天上午过来', sh(13, 10), '后天上午'],
    ['下周一再聊', sh(16, 10), '下周一'],
    ['周五前给我报价', sh(12, 10), '周五前'], // a deadline: the day before
    ['月底前答复', sh(30, 10)],
    ['月底', sh(31, 10), '月底'],
    ['今晚8点', sh(11, 20), '今晚8点'],
    ['3天后联系', sh(14, 10)],
    ['两小时后', NOW + 2 * 3600_000],
    ['半小时后回你', NOW + 1800_000],
    ['明天九点', sh(12, 9)],
    ['明早8点半', sh(12, 8, 30)],
    ['下午再聊', sh(11, 15)],
    ['周一', sh(16, 10)], // Monday already passed this week
    ['这周五', sh(13, 10)],
    ['3点给你回电', sh(11, 15)], // a bare 3点 in business hours is 15:00
    ['15:30开会', sh(11, 15, 30)],
    ['3月20号', sh(20, 10)],
    ['tomorrow 3pm', sh(12, 15)],
    ['tomorrow at 3pm', sh(12, 15)],
    ['next Monday', sh(16, 10)],
    ['in 2 hours', NOW + 2 * 3600_000],
    ['by Friday', sh(12, 10)],
    ['便宜一点', null],
    ['利率3.5%', null],
    ['今天上午9点', null], // already past
    ['昨天打过电话', null],
    ['我们有两点要求', null],
    // issue 18: cases found missing when comparing with chrono-node (scripts/understand/compare-dates.ts)
    ['下个月5号', Date.UTC(2026, 3, 5, 2)],
    ['on the 20th', sh(20, 10)],
    ['need 40 units by the 15th', sh(14, 10)], // a deadline: the day before
    ['noon tomorrow', sh(12, 12)], // threw RangeError before (read the wrong regex group)
    ['明天下午三點', sh(12, 15)],
    ['下下周三', sh(25, 10)],
    ['30万分36期', null],
  ])('%s', (text, at, matched) => {
    const r = findTime(text, NOW, 'Asia/Shanghai');
    expect(r?.at ?? null).toBe(at);
    if (matched) expect(r?.text).toBe(matched);
  });

  it('rolls the month and year', () => {
    const dec = Date.UTC(2026, 11, 30, 2, 0); // Wed 2026-12-30 10:00 Shanghai
    expect(findTime('3天后', dec, 'Asia/Shanghai')?.at).toBe(Date.UTC(2027, 0, 2, 2, 0));
    expect(findTime('下个月初', dec, 'Asia/Shanghai')?.at).toBe(Date.UTC(2027, 0, 1, 2, 0));
  });

  it('resolves wall-clock time in the given zone, across DST', () => {
    // New York, Sat 2026-03-07 12:00 EST; "tomorrow 3pm" is Sunday 8 March, after the switch to EDT.
    const ny = Date.UTC(2026, 2, 7, 17, 0);
    expect(findTime('tomorrow 3pm', ny, 'America/New_York')?.at).toBe(Date.UTC(2026, 2, 8, 19, 0));
  });
});
