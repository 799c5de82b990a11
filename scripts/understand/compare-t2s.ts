// npx tsx scripts/understand/compare-t2s.ts — normalize()'s hand-written traditional → simplified
// table beside opencc-js 1.4 (t2cn: from t/tw/hk to cn) on every dev message with traditional
// characters and on sentences written for this comparison. Counts, per system, the characters
// opencc converts that the table leaves as they are, and whether the rules see the same signals.
import * as OpenCC from 'opencc-js/t2cn';
import { fileURLToPath } from 'node:url';
import { readCorpus } from './evaluate';
import { normalize } from '../../lib/understand';
import { rulesPrediction, signalsOf } from './predictors';

const toCn = OpenCC.Converter({ from: 'hk', to: 'cn' });
const dir = fileURLToPath(new URL('../../data/understand/', import.meta.url));
// The dev part only: what this comparison finds changes normalize(), so the frozen test part stays unseen.
const corpus = readCorpus(`${dir}dev.jsonl`).map((r) => r.text);
const written = [
  '請問這款產品現在有優惠嗎？想買兩台',
  '我們公司想申請經營貸款，額度大概兩百萬',
  '師傅說好今天來維修，到現在還沒來',
  '發票開錯了，麻煩重新開一張',
  '訂單已經付款，什麼時候發貨',
  '麻煩打電話給我，或者加個微信',
  '這個顏色跟圖片差很多，我要退貨',
  '報價單請用郵件寄給我們採購',
  '貴公司的軟體一年費用多少？我們團隊十個人',
  '冷氣裝好第二天就漏水，請派人處理',
  '餘額不足嗎？怎麼扣款失敗',
  '下禮拜三之前能送到嗎？要五百個',
];
const texts = [...corpus.filter((t) => toCn(t) !== t), ...written];
let missed = 0;
let total = 0;
const missedChars = new Map<string, number>();
let sameSignals = 0;
for (const t of texts) {
  const cn = toCn(t).toLowerCase();
  const ours = normalize(t);
  for (let i = 0; i < t.length; i++) {
    if (cn[i] === t[i]!.toLowerCase()) continue;
    total++;
    if (ours[i] !== cn[i]) {
      missed++;
      missedChars.set(t[i]!, (missedChars.get(t[i]!) ?? 0) + 1);
    }
  }
  const a = rulesPrediction(signalsOf({ id: 'x', text: t }));
  const b = rulesPrediction(signalsOf({ id: 'x', text: toCn(t) }));
  if (JSON.stringify(a) === JSON.stringify(b)) sameSignals++;
}
console.log(`${texts.length} messages with traditional characters (${texts.length - written.length} from the corpus, ${written.length} written for this)`);
console.log(`characters opencc converts: ${total}; the hand-written table leaves ${missed} of them (${((100 * missed) / Math.max(1, total)).toFixed(1)}%)`);
console.log(`left by the table: ${[...missedChars].sort((x, y) => y[1] - x[1]).map(([c, n]) => `${c}×${n}`).join(' ')}`);
console.log(`rules see the same signals on our normalization as on opencc's: ${sameSignals} of ${texts.length}`);
