// npm run train:understand — trains the message classifier beside the rules (issue 18) and
// writes lib/understand/model/weights.json.
//
// HOW TO RETRAIN
// 1. Add or correct labelled messages in the development files only — data/understand/dev.jsonl
//    and any data/understand/dev-*.jsonl (every dev*.jsonl is read; test* never is, nor
//    rules-dev-*.jsonl, files the rules are developed on but the model is not (none since dev-w5 and
//    dev-w6 joined training on 2026-12-07; cv.ts --score-extra scores any as unseen writers): see
//    data/understand/README.md) — following docs/labelling-guide.md. Never train, calibrate or pick thresholds on test.jsonl: it is
//    frozen, and `npm run eval` checks its hash.
// 2. Choose settings by cross-validation on dev: `npx tsx scripts/understand/cv.ts --lofo`
//    (k-fold and leave-one-file-out figures, rules alone beside rules + model; `--set key=value`
//    tries another setting, `--misses` lists the out-of-fold errors). Change DEFAULT_LEARN in
//    learn.ts / DEFAULT_FEATURES in lib/understand/model/features.ts only when CV says it helps.
// 3. `npm run train:understand`. It prints per-file counts, out-of-fold figures on dev and the
//    weights' size (the background loads the weights lazily; keep them ≤ 300 kB, see MAX_BYTES).
// 4. `npm run eval` to see the frozen test figures, rules alone beside rules + model — once, at
//    the end, not as a tuning loop.
// 5. Commit weights.json with the dev change. The run is deterministic: same dev files, same
//    code → byte-identical weights (rows in file order, seeded folds, features sorted, no other
//    randomness), so a diff in weights.json always means the data or the code changed.
//
// WHAT IT DOES (scripts/understand/learn.ts)
// - Features (lib/understand/model/features.ts): character n-grams, English word n-grams and
//   the rule families' findings for each message; vocabulary = features seen in ≥ minCount
//   training messages (rule features always).
// - One L2-regularised logistic regression per label (buying, complaint, noise, and the method
//   gate: "does this message arrange a channel, and is the rules' pick right?"), AdaGrad over the
//   rows in order.
// - Calibration: stratified, seeded 5-fold cross-validation on dev gives an out-of-fold raw score
//   for every dev message; Platt scaling (a, b) per label is fitted on those scores, and each
//   threshold is the lowest whose out-of-fold precision reaches the label's target (0.93 buying
//   and complaint, 0.95 noise and method) while recall stays ≥ minRecall, else the best-F1 one.
//   The final weights are then trained on all of dev, pruned (|w| < prune dropped) and stored in
//   the compact v3 format (lib/understand/model/weights-format.ts: front-coded feature strings,
//   one signed byte per weight with a scale per label, a checksum), the largest kept if over the bound.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MODEL_LABELS } from '../../lib/understand/model/classify';
import { DEFAULT_LEARN, MAX_BYTES, examples, fileBytes, fit, prf, readDev, signalsFor } from './learn';

const OUT = fileURLToPath(new URL('../../lib/understand/model/weights.json', import.meta.url));

function main() {
  const o = DEFAULT_LEARN;
  console.log('development files:');
  const rows = readDev();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.file, (counts.get(r.file) ?? 0) + 1);
  const sigs = signalsFor(rows);
  const xs = examples(rows, sigs, o.features, o.methodTarget);
  const { model, calibration } = fit(xs, o, `${[...counts].map(([f, n]) => `data/understand/${f} (${n})`).join(', ')}: ${rows.length} messages`);
  MODEL_LABELS.forEach((l, k) => {
    // The method gate decides only where the rules found a method (classify.ts).
    const m = prf(
      calibration.oof.map((p, i) => (l === 'method' && !xs[i]!.ruleMethod ? -1 : p[k]!)),
      xs.map((x) => x.y[k]!),
      calibration.threshold[k]!,
    );
    const pl = calibration.platt[k]!;
    console.log(`${l}: out-of-fold on dev P ${m.precision.toFixed(3)} R ${m.recall.toFixed(3)} F1 ${m.f1.toFixed(3)} at threshold ${calibration.threshold[k]!.toFixed(2)} (Platt a=${pl.a.toFixed(3)} b=${pl.b.toFixed(3)})`);
  });
  const bytes = fileBytes(model);
  if (bytes > MAX_BYTES) throw new Error(`weights are ${bytes} bytes, over ${MAX_BYTES}: raise minCount or prune in learn.ts`);
  writeFileSync(OUT, `${JSON.stringify(model)}\n`);
  console.log(`wrote ${OUT}: ${model.count} features (v${model.version}), ${bytes} bytes, label scales ${model.labels.map((l) => `${l.name} ${l.scale.toExponential(3)}`).join(', ')}`);
}

main();
