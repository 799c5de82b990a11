// npm run train:understand — trains the message classifier beside the rules (issue 18) and
// writes lib/understand/model/weights.json.
//
// HOW TO RETRAIN
// 1. Add or correct labelled messages in data/understand/dev.jsonl only, following
//    docs/labelling-guide.md. Never train, calibrate or pick thresholds on test.jsonl: it is
//    frozen, and `npm run eval` checks its hash.
// 2. `npm run train:understand`. It prints out-of-fold figures on dev and the weights' size
//    (the background loads the weights lazily; keep them ≤ 300 kB, see MAX_BYTES).
// 3. `npm run eval` to see the frozen test figures, rules alone beside rules + model.
// 4. Commit weights.json with the dev change. The run is deterministic: same dev file, same
//    code → byte-identical weights (rows in file order, folds by position, features sorted,
//    no random numbers), so a diff in weights.json always means the data or the code changed.
//
// WHAT IT DOES
// - Features (lib/understand/model/features.ts): character 1–3-grams, English word 1–2-grams and
//   the rule families' findings for each message; vocabulary = features seen in ≥ MIN_COUNT
//   training messages.
// - One L2-regularised logistic regression per label (buying, complaint, noise), trained by
//   AdaGrad over the rows in order for EPOCHS passes.
// - Calibration: 5-fold cross-validation on dev gives an out-of-fold raw score for every dev
//   message; Platt scaling (a, b) is fitted on those scores, and each label's threshold is
//   chosen on the calibrated out-of-fold probabilities (buying, complaint: best F1; noise: the
//   lowest threshold whose precision reaches NOISE_PRECISION, since a message wrongly called
//   noise is lost). The final weights are then trained on all of dev.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { features } from '../../lib/understand/model/features';
import { MODEL_LABELS, type ModelWeights, weightsSchema } from '../../lib/understand/model/classify';
import { readCorpus, type Labelled } from './evaluate';
import { signalsOf, evalContext } from './predictors';

const DEV = fileURLToPath(new URL('../../data/understand/dev.jsonl', import.meta.url));
const OUT = fileURLToPath(new URL('../../lib/understand/model/weights.json', import.meta.url));
const MIN_COUNT = 2;
const EPOCHS = 25;
const LR = 0.3;
const L2 = 1e-4;
const FOLDS = 5;
const NOISE_PRECISION = 0.95;
const MAX_BYTES = 300_000;

interface Example {
  f: string[];
  y: [number, number, number];
}

function examples(rows: readonly Labelled[]): Example[] {
  const ctx = evalContext();
  return rows.map((r) => ({
    f: features(r.text, signalsOf(r, ctx)),
    y: [r.labels.buying ? 1 : 0, r.labels.complaint ? 1 : 0, r.labels.noise ? 1 : 0],
  }));
}

interface Trained {
  bias: [number, number, number];
  w: Map<string, [number, number, number]>;
}

function train(xs: readonly Example[]): Trained {
  const count = new Map<string, number>();
  for (const x of xs) for (const f of x.f) count.set(f, (count.get(f) ?? 0) + 1);
  const vocab = new Set([...count].filter(([f, c]) => c >= MIN_COUNT || f.startsWith('r:')).map(([f]) => f));
  const w = new Map<string, [number, number, number]>();
  const g2 = new Map<string, [number, number, number]>();
  for (const f of [...vocab].sort()) {
    w.set(f, [0, 0, 0]);
    g2.set(f, [1e-8, 1e-8, 1e-8]);
  }
  const bias: [number, number, number] = [0, 0, 0];
  const bg2: [number, number, number] = [1e-8, 1e-8, 1e-8];
  for (let e = 0; e < EPOCHS; e++) {
    for (const x of xs) {
      const fs = x.f.filter((f) => vocab.has(f));
      for (let k = 0; k < 3; k++) {
        let z = bias[k]!;
        for (const f of fs) z += w.get(f)![k]!;
        const g = 1 / (1 + Math.exp(-z)) - x.y[k]!;
        bg2[k]! += g * g;
        bias[k]! -= (LR * g) / Math.sqrt(bg2[k]!);
        for (const f of fs) {
          const wf = w.get(f)!;
          const gf = g + L2 * wf[k]!;
          const acc = g2.get(f)!;
          acc[k]! += gf * gf;
          wf[k]! -= (LR * gf) / Math.sqrt(acc[k]!);
        }
      }
    }
  }
  return { bias, w };
}

function raw(t: Trained, f: readonly string[]): [number, number, number] {
  const z: [number, number, number] = [...t.bias];
  for (const x of f) {
    const v = t.w.get(x);
    if (v) for (let k = 0; k < 3; k++) z[k]! += v[k]!;
  }
  return z;
}

/** Platt scaling with Platt's smoothed targets, fitted by Newton's method with backtracking. */
function platt(scores: readonly number[], ys: readonly number[]): { a: number; b: number } {
  const pos = ys.filter((y) => y === 1).length;
  const neg = ys.length - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  const t = ys.map((y) => (y ? hi : lo));
  const loss = (a: number, b: number) =>
    scores.reduce((acc, s, i) => {
      const z = a * s + b;
      // log(1 + e^z) − t·z, computed stably
      return acc + (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t[i]! * z;
    }, 0);
  let a = 1;
  let b = 0;
  let cur = loss(a, b);
  for (let it = 0; it < 100; it++) {
    let ga = 0, gb = 0, haa = 1e-6, hab = 0, hbb = 1e-6;
    scores.forEach((s, i) => {
      const p = 1 / (1 + Math.exp(-(a * s + b)));
      const d = p - t[i]!;
      const v = p * (1 - p);
      ga += d * s;
      gb += d;
      haa += v * s * s;
      hab += v * s;
      hbb += v;
    });
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    while (step > 1e-6 && loss(a - step * da, b - step * db) > cur) step /= 2;
    if (step <= 1e-6) break;
    a -= step * da;
    b -= step * db;
    const next = loss(a, b);
    if (cur - next < 1e-10) break;
    cur = next;
  }
  return { a, b };
}

function prf(ps: readonly number[], ys: readonly number[], th: number) {
  let tp = 0, fp = 0, fn = 0;
  ps.forEach((p, i) => {
    const q = p >= th;
    if (q && ys[i]) tp++;
    else if (q) fp++;
    else if (ys[i]) fn++;
  });
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  return { precision, recall, f1: 2 * tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : 1 };
}

function chooseThreshold(label: string, ps: readonly number[], ys: readonly number[]): number {
  const grid = Array.from({ length: 95 }, (_, i) => 0.03 + i * 0.01);
  if (label === 'noise') {
    const ok = grid.find((th) => prf(ps, ys, th).precision >= NOISE_PRECISION);
    if (ok !== undefined) return ok;
  }
  let best = 0.5;
  let bestF = -1;
  for (const th of grid) {
    const { f1 } = prf(ps, ys, th);
    if (f1 > bestF + 1e-12) {
      bestF = f1;
      best = th;
    }
  }
  return best;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

function main() {
  const rows = readCorpus(DEV);
  const xs = examples(rows);
  // Out-of-fold raw scores: fold = position mod FOLDS (dev is grouped by domain, so every fold has every domain).
  const oof = xs.map(() => [0, 0, 0] as [number, number, number]);
  for (let k = 0; k < FOLDS; k++) {
    const t = train(xs.filter((_, i) => i % FOLDS !== k));
    xs.forEach((x, i) => {
      if (i % FOLDS === k) oof[i] = raw(t, x.f);
    });
  }
  const labels = {} as ModelWeights['labels'];
  MODEL_LABELS.forEach((l, k) => {
    const s = oof.map((z) => z[k]!);
    const ys = xs.map((x) => x.y[k]!);
    const pl = platt(s, ys);
    const ps = s.map((z) => 1 / (1 + Math.exp(-(pl.a * z + pl.b))));
    const threshold = chooseThreshold(l, ps, ys);
    const m = prf(ps, ys, threshold);
    console.log(`${l}: out-of-fold on dev P ${m.precision.toFixed(3)} R ${m.recall.toFixed(3)} F1 ${m.f1.toFixed(3)} at threshold ${threshold.toFixed(2)} (Platt a=${pl.a.toFixed(3)} b=${pl.b.toFixed(3)})`);
    labels[l] = { bias: 0, platt: { a: round(pl.a), b: round(pl.b) }, threshold: round(threshold) };
  });
  const final = train(xs);
  MODEL_LABELS.forEach((l, k) => (labels[l].bias = round(final.bias[k]!)));
  const weights: ModelWeights['weights'] = {};
  for (const f of [...final.w.keys()].sort()) {
    const v = final.w.get(f)!.map(round) as [number, number, number];
    if (v.some((x) => Math.abs(x) >= 0.002)) weights[f] = v;
  }
  const model = weightsSchema.parse({ version: 1, trainedOn: `data/understand/dev.jsonl (${rows.length} messages)`, labels, weights });
  const json = JSON.stringify(model);
  if (json.length > MAX_BYTES) throw new Error(`weights are ${json.length} bytes, over ${MAX_BYTES}: raise MIN_COUNT`);
  writeFileSync(OUT, json + '\n');
  console.log(`wrote ${OUT}: ${Object.keys(weights).length} features, ${json.length} bytes`);
}

main();
