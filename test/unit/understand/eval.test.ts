// Evaluation on the labelled messages in test/fixtures/understand/messages.jsonl: precision
// and recall per signal and category, printed as a table. The labels were written by hand for
// what a salesperson would want, not for what the rules do; where the rules fall short the
// thresholds below say so (see the report in the task notes), they are never met by editing labels.
//
// UNDERSTAND_EVAL_VERBOSE=1 npx vitest run --project unit test/unit/understand/eval.test.ts
// lists every disagreement.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, DEFAULT_RULES, type Rules, analyzeMessage } from '../../../lib/understand';

interface Labelled {
  id: string;
  domain: string;
  lang: 'zh' | 'en';
  dir: 'in' | 'out';
  text: string;
  buying: boolean;
  complaint: boolean;
  method?: string;
  category: string | null;
  noise: boolean;
  product?: string;
  amount?: number;
}

const rows: Labelled[] = readFileSync(new URL('../../fixtures/understand/messages.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Labelled);

// A user who sells scanners, printers and boxes as well as loans: products and their aliases
// are user settings, so the evaluation configures them like a user would.
const products = ['信用贷', '抵押贷', '车贷', '经营贷', '扫码枪', '打印机', '包装箱'];
const rules: Rules = {
  ...DEFAULT_RULES,
  productAliases: {
    ...DEFAULT_RULES.productAliases,
    扫码枪: ['扫描枪', 'scanner', 'scanners', 'barcode scanner'],
    打印机: ['printer', 'printers', 'thermal printer'],
    包装箱: ['纸箱', 'boxes', 'carton box'],
  },
};
const now = Date.UTC(2026, 2, 11, 2, 0); // Wed 2026-03-11 10:00 in Shanghai

const predictions = rows.map((r) => ({ r, s: analyzeMessage({ id: r.id, direction: r.dir, text: r.text }, { now, timeZone: 'Asia/Shanghai', products, rules }) }));

interface Score {
  tp: number;
  fp: number;
  fn: number;
}
const pr = (s: Score): { precision: number; recall: number } => ({
  precision: s.tp + s.fp ? s.tp / (s.tp + s.fp) : 1,
  recall: s.tp + s.fn ? s.tp / (s.tp + s.fn) : 1,
});

/** Binary signal: positive when `label` / `pred` are true. */
function binary(label: (r: Labelled) => boolean, pred: (p: (typeof predictions)[number]['s']) => boolean): Score & { misses: string[] } {
  const s = { tp: 0, fp: 0, fn: 0, misses: [] as string[] };
  for (const { r, s: p } of predictions) {
    const l = label(r);
    const q = pred(p);
    if (l && q) s.tp++;
    else if (q) (s.fp++, s.misses.push(`FP ${r.id} ${r.text}`));
    else if (l) (s.fn++, s.misses.push(`FN ${r.id} ${r.text}`));
  }
  return s;
}

/** Valued label (method, product, amount): a prediction counts when it equals the label. */
function valued<T>(label: (r: Labelled) => T | undefined, pred: (p: (typeof predictions)[number]['s']) => T | undefined): Score & { misses: string[] } {
  const s = { tp: 0, fp: 0, fn: 0, misses: [] as string[] };
  for (const { r, s: p } of predictions) {
    const l = label(r);
    const q = pred(p);
    if (l !== undefined && q === l) s.tp++;
    else {
      if (q !== undefined) s.fp++;
      if (l !== undefined) s.fn++;
      if (q !== undefined || l !== undefined) s.misses.push(`${String(q)}≠${String(l)} ${r.id} ${r.text}`);
    }
  }
  return s;
}

const results: Record<string, Score & { misses: string[] }> = {
  buying: binary((r) => r.buying, (p) => p.buying.length > 0),
  complaint: binary((r) => r.complaint, (p) => p.complaint.length > 0),
  method: valued((r) => r.method, (p) => p.method?.method),
  noise: binary((r) => r.noise, (p) => p.noise),
  product: valued((r) => r.product, (p) => p.products[0]),
  amount: valued((r) => r.amount, (p) => p.amount?.value),
};
for (const c of CATEGORIES) results[`category ${c}`] = binary((r) => r.category === c, (p) => p.category === c);

const table = Object.fromEntries(
  Object.entries(results).map(([k, s]) => {
    const { precision, recall } = pr(s);
    return [k, { support: s.tp + s.fn, tp: s.tp, fp: s.fp, fn: s.fn, precision: +precision.toFixed(3), recall: +recall.toFixed(3) }];
  }),
);

describe(`understanding evaluation (${rows.length} labelled messages)`, () => {
  it('has a realistic labelled set', () => {
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const d of ['loan', 'b2b', 'retail']) expect(rows.filter((r) => r.domain === d).length).toBeGreaterThan(60);
    expect(rows.filter((r) => r.lang === 'en').length).toBeGreaterThan(80);
  });

  it('prints precision and recall per signal and category', () => {
    console.table(table);
    if (process.env.UNDERSTAND_EVAL_VERBOSE) for (const [k, s] of Object.entries(results)) console.log(`\n## ${k}\n${s.misses.join('\n')}`);
  });

  // The targets: precision ≥ 0.9 and recall ≥ 0.8 for buying signals, complaints and method.
  it.each([
    ['buying', 0.9, 0.8],
    ['complaint', 0.9, 0.8],
    ['method', 0.9, 0.8],
  ] as const)('%s meets precision ≥ %s and recall ≥ %s', (k, p, r) => {
    const { precision, recall } = pr(results[k]!);
    expect(precision).toBeGreaterThanOrEqual(p);
    expect(recall).toBeGreaterThanOrEqual(r);
  });
});
