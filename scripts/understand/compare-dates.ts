// npx tsx scripts/understand/compare-dates.ts — lib/understand/datetime.ts (hand-written) beside
// chrono-node 2.10's zh and en parsers on the date tests' cases (test/unit/understand/datetime.test.ts)
// and cases added for issue 18. Prints which cases each gets right, raw and with our two
// conventions applied to chrono (a day without an hour → 10:00, a deadline 前/by → the day before).
import * as chrono from 'chrono-node';
import { findTime } from '../../lib/understand';

const NOW = Date.UTC(2026, 2, 11, 2, 0); // Wed 2026-03-11 10:00 Shanghai
const sh = (d: number, h: number, mi = 0, mo = 2): number => Date.UTC(2026, mo, d, h - 8, mi);

/** [text, expected epoch or null, source] */
const CASES: [string, number | null, 'test' | 'added'][] = [
  ['明天下午3点给您打电话', sh(12, 15), 'test'],
  ['后天上午过来', sh(13, 10), 'test'],
  ['下周一再聊', sh(16, 10), 'test'],
  ['周五前给我报价', sh(12, 10), 'test'],
  ['月底前答复', sh(30, 10), 'test'],
  ['月底', sh(31, 10), 'test'],
  ['今晚8点', sh(11, 20), 'test'],
  ['3天后联系', sh(14, 10), 'test'],
  ['两小时后', NOW + 2 * 3600_000, 'test'],
  ['半小时后回你', NOW + 1800_000, 'test'],
  ['明天九点', sh(12, 9), 'test'],
  ['明早8点半', sh(12, 8, 30), 'test'],
  ['下午再聊', sh(11, 15), 'test'],
  ['周一', sh(16, 10), 'test'],
  ['这周五', sh(13, 10), 'test'],
  ['3点给你回电', sh(11, 15), 'test'],
  ['15:30开会', sh(11, 15, 30), 'test'],
  ['3月20号', sh(20, 10), 'test'],
  ['tomorrow 3pm', sh(12, 15), 'test'],
  ['tomorrow at 3pm', sh(12, 15), 'test'],
  ['next Monday', sh(16, 10), 'test'],
  ['in 2 hours', NOW + 2 * 3600_000, 'test'],
  ['by Friday', sh(12, 10), 'test'],
  ['便宜一点', null, 'test'],
  ['利率3.5%', null, 'test'],
  ['今天上午9点', null, 'test'],
  ['昨天打过电话', null, 'test'],
  ['我们有两点要求', null, 'test'],
  // added for issue 18
  ['明天上午10:30', sh(12, 10, 30), 'added'],
  ['明天下午三點', sh(12, 15), 'added'],
  ['后天晚上7点半', sh(13, 19, 30), 'added'],
  ['周五下午三点半', sh(13, 15, 30), 'added'],
  ['下下周三', sh(25, 10), 'added'],
  ['大后天', sh(14, 10), 'added'],
  ['下个月5号', sh(5, 10, 0, 3), 'added'],
  ['3月20号前', sh(19, 10), 'added'],
  ['星期五上午', sh(13, 10), 'added'],
  ['两周后', sh(25, 10), 'added'],
  ['明晚七点', sh(12, 19), 'added'],
  ['next Tuesday at 10:30', sh(17, 10, 30), 'added'],
  ['this Friday 2pm', sh(13, 14), 'added'],
  ['on the 20th', sh(20, 10), 'added'],
  ['Mar 20', sh(20, 10), 'added'],
  ['in 3 days', sh(14, 10), 'added'],
  ['noon tomorrow', sh(12, 12), 'added'],
  ['need 40 units by the 15th', sh(14, 10), 'added'],
  ['we have 3 stores', null, 'added'],
  ['30万分36期', null, 'added'],
  ['我们做了8年了', null, 'added'],
  ['the 2 pallets', null, 'added'],
];

const DEADLINE = /前|之前|以前|\bby\b|\bbefore\b/iu;

function viaChrono(text: string, conventions: boolean): number | null {
  const parser = /[\u3400-\u9fff]/u.test(text) ? chrono.zh : chrono.en;
  const r = parser.parse(text, { instant: new Date(NOW), timezone: 480 }, { forwardDate: true })[0];
  if (!r) return null;
  let at = r.start.date().getTime();
  if (conventions) {
    if (!r.start.isCertain('hour')) {
      // a day without an hour: 10:00 Shanghai that day
      const d = new Date(at + 8 * 3600_000);
      at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 10 - 8);
    }
    if (DEADLINE.test(text.slice(r.index))) at -= 86_400_000;
  }
  return at <= NOW ? null : at;
}

const rows = CASES.map(([text, want, src]) => {
  const ours = findTime(text, NOW, 'Asia/Shanghai')?.at ?? null;
  const raw = viaChrono(text, false);
  const conv = viaChrono(text, true);
  return { text, src, ours: ours === want, chrono: raw === want, chronoConv: conv === want };
});
const fmt = (b: boolean) => (b ? 'ok' : '--');
console.log('| case | from | datetime.ts | chrono raw | chrono + our conventions |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.text} | ${r.src} | ${fmt(r.ours)} | ${fmt(r.chrono)} | ${fmt(r.chronoConv)} |`);
for (const src of ['test', 'added'] as const) {
  const rs = rows.filter((r) => r.src === src);
  const n = (k: 'ours' | 'chrono' | 'chronoConv') => rs.filter((r) => r[k]).length;
  console.log(`${src} cases (${rs.length}): datetime.ts ${n('ours')}, chrono raw ${n('chrono')}, chrono + conventions ${n('chronoConv')}`);
}
