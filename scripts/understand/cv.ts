// npx tsx scripts/understand/cv.ts [--folds 5] [--lofo] [--lofo-only] [--score-extra] [--misses] [--data DIR] [--fresh SNAPDIR] [--set key=value …]
// Cross-validation on the development data only (issue 18): every setting of the model —
// features, regularisation, class weights, thresholds — and every rule change is chosen here,
// never on data/understand/test.jsonl.
//
// Two views, both printed as precision / recall per label for the rules alone and rules + model:
// - k-fold: stratified by label pattern, seeded (the same folds every run); the model of each
//   fold is trained, calibrated (inner folds) and thresholded on the other folds only, exactly as
//   train.ts does on all of dev, so the figures are of the whole recipe;
// - leave one file out (--lofo): train on every dev file but one and score that one. Each dev
//   file was written by a different writer, so this is the honest view of a new writer's words.
//   With --score-extra, the rules-only files (rules-dev-*.jsonl, never trained on) are scored
//   too, as more writers left out, by the model trained on every dev file; the summary then gives
//   the mean and the lowest over all writers left out.
//
// --set overrides a learning option: charMax=4 wordMax=2 squeeze=false ruleTerms=false
// minCount=2 epochs=25 lr=0.3 l2=3e-2 prune=0.002 minRecall=0.85 mr.noise=0.6 tp.buying=0.93 pw.complaint=2
// methodTarget=any.
import { MODEL_LABELS, UnderstandModel, type ModelLabel, decodeWeights } from '../../lib/understand/model/classify';
import type { MessageSignals } from '../../lib/understand';
import { LABELS, type LabelName, type Labelled, type Prediction, scoreLabel } from './evaluate';
import { type DevRow, DEFAULT_LEARN, type LearnOptions, examples, fit, readDev, readUnseen, rulesOnlyFiles, signalsFor, stratifiedFolds, target } from './learn';
import { predictWith, rulesPrediction } from './predictors';

export function parseSets(args: readonly string[], base: LearnOptions = DEFAULT_LEARN): LearnOptions {
  const o: LearnOptions = { ...base, features: { ...base.features }, posWeight: { ...base.posWeight }, targetPrecision: { ...base.targetPrecision }, minRecall: { ...base.minRecall } };
  for (const a of args) {
    const [k, v] = a.split('=') as [string, string];
    if (v === undefined) throw new Error(`--set ${a}: want key=value`);
    const num = Number(v);
    const val = v === 'true' ? true : v === 'false' ? false : Number.isNaN(num) ? v : num;
    if (k in o.features) (o.features as Record<string, unknown>)[k] = val;
    else if (k.startsWith('pw.')) o.posWeight[k.slice(3) as ModelLabel] = num;
    else if (k.startsWith('tp.')) o.targetPrecision[k.slice(3) as ModelLabel] = num;
    else if (k === 'tp') for (const l of MODEL_LABELS) o.targetPrecision[l] = num;
    else if (k.startsWith('mr.')) o.minRecall[k.slice(3) as ModelLabel] = num;
    else if (k === 'minRecall') for (const l of MODEL_LABELS) o.minRecall[l] = num;
    else if (k in o) (o as unknown as Record<string, unknown>)[k] = val;
    else throw new Error(`--set ${k}: unknown option`);
  }
  return o;
}

function predictFold(trainRows: readonly Labelled[], trainSigs: readonly MessageSignals[], testRows: readonly Labelled[], testSigs: readonly MessageSignals[], o: LearnOptions): Prediction[] {
  const { model } = fit(examples(trainRows, trainSigs, o.features, o.methodTarget), o, 'cv');
  // Through the shipped file's own decoder: the figures are of exactly what would be shipped.
  return predictWith(new UnderstandModel(decodeWeights(model)), testRows, testSigs);
}

const f3 = (x: number) => x.toFixed(3);

export function table(title: string, rows: readonly Labelled[], systems: Record<string, Prediction[]>): string {
  const out = [`${title} (${rows.length} messages)`, `  ${'label'.padEnd(10)}${Object.keys(systems).map((s) => s.padEnd(26)).join('')}`];
  for (const l of LABELS) {
    const cells = Object.values(systems).map((p) => {
      const s = scoreLabel(l as LabelName, rows, p, 0);
      return `P ${f3(s.precision.value)} R ${f3(s.recall.value)} (${s.support})`.padEnd(26);
    });
    out.push(`  ${l.padEnd(10)}${cells.join('')}`);
  }
  return out.join('\n');
}

export function kfold(rows: readonly DevRow[], sigs: readonly MessageSignals[], o: LearnOptions, k = 5): Prediction[] {
  const fold = stratifiedFolds(rows.map(target), k, 1018);
  const preds: Prediction[] = new Array(rows.length);
  for (let j = 0; j < k; j++) {
    const tr = rows.map((_, i) => i).filter((i) => fold[i] !== j);
    const te = rows.map((_, i) => i).filter((i) => fold[i] === j);
    const p = predictFold(tr.map((i) => rows[i]!), tr.map((i) => sigs[i]!), te.map((i) => rows[i]!), te.map((i) => sigs[i]!), o);
    te.forEach((i, n) => (preds[i] = p[n]!));
  }
  return preds;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main() {
  const sets: string[] = [];
  process.argv.forEach((a, i) => {
    if (a === '--set') sets.push(process.argv[i + 1]!);
  });
  const o = parseSets(sets);
  console.log('development files:');
  // --data DIR: a snapshot of the dev files, so settings compared in turn see the same rows while writers add lines.
  const dir = arg('data');
  const dataDir = dir ? `${dir.replace(/\/$/u, '')}/` : undefined;
  const rows = readDev(dataDir);
  const sigs = signalsFor(rows);
  const rules = sigs.map(rulesPrediction);
  console.log(`options: ${JSON.stringify({ ...o, posWeight: undefined, targetPrecision: undefined, minRecall: undefined })} pw ${JSON.stringify(o.posWeight)} tp ${JSON.stringify(o.targetPrecision)} minRecall ${JSON.stringify(o.minRecall)}`);
  const files = [...new Set(rows.map((r) => r.file))];
  const fresh = arg('fresh');
  const folds = Number(arg('folds') ?? 5);
  if (!process.argv.includes('--lofo-only') && !fresh) {
    const preds = kfold(rows, sigs, o, folds);
    console.log(`SUMMARY ${folds}-fold F1: ${LABELS.map((l) => `${l} ${f3(scoreLabel(l, rows, preds, 0).f1.value)}`).join('  ')}`);
    console.log(table(`\n${folds}-fold stratified CV, all dev files`, rows, { 'rules alone': rules, 'rules + model': preds }));
    if (files.length > 1)
      for (const f of files) {
        const idx = rows.map((r, i) => (r.file === f ? i : -1)).filter((i) => i >= 0);
        console.log(table(`  of which ${f}`, idx.map((i) => rows[i]!), { 'rules alone': idx.map((i) => rules[i]!), 'rules + model': idx.map((i) => preds[i]!) }));
      }
  }
  const lofoF1: Record<string, number[]> = {};
  const lofoP: Record<string, number[]> = {};
  const lofoR: Record<string, number[]> = {};
  if ((process.argv.includes('--lofo') || process.argv.includes('--lofo-only')) && files.length > 1) {
    for (const f of files) {
      const tr = rows.map((_, i) => i).filter((i) => rows[i]!.file !== f);
      const te = rows.map((_, i) => i).filter((i) => rows[i]!.file === f);
      const p = predictFold(tr.map((i) => rows[i]!), tr.map((i) => sigs[i]!), te.map((i) => rows[i]!), te.map((i) => sigs[i]!), o);
      const per: string[] = [];
      for (const l of LABELS) {
        const sc = scoreLabel(l, te.map((i) => rows[i]!), p, 0);
        (lofoF1[l] ??= []).push(sc.f1.value);
        (lofoP[l] ??= []).push(sc.precision.value);
        (lofoR[l] ??= []).push(sc.recall.value);
        per.push(`${l} ${f3(sc.precision.value)}/${f3(sc.recall.value)}/${f3(sc.f1.value)}`);
      }
      console.log(`LOFO ${f} P/R/F1: ${per.join('  ')}`);
      console.log(table(`\nleave one file out: trained on the other files, scored on ${f}`, te.map((i) => rows[i]!), { 'rules alone': te.map((i) => rules[i]!), 'rules + model': p }));
    }
  }
  const mean = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  if (Object.keys(lofoF1).length) {
    console.log(`\nSUMMARY mean F1 over left-out files: ${LABELS.map((l) => `${l} ${f3(mean(lofoF1[l]!))}`).join('  ')}`);
    console.log(`SUMMARY mean P/R over left-out files: ${LABELS.map((l) => `${l} ${f3(mean(lofoP[l]!))}/${f3(mean(lofoR[l]!))}`).join('  ')}`);
  }
  if (process.argv.includes('--score-extra')) {
    const extra = readUnseen(rulesOnlyFiles(dataDir), rows, dataDir);
    const xsigs = signalsFor(extra);
    const p = extra.length ? predictFold(rows, sigs, extra, xsigs, o) : [];
    for (const f of [...new Set(extra.map((r) => r.file))]) {
      const idx = extra.map((r, i) => (r.file === f ? i : -1)).filter((i) => i >= 0);
      const te = idx.map((i) => extra[i]!);
      const pe = idx.map((i) => p[i]!);
      const per: string[] = [];
      for (const l of LABELS) {
        const sc = scoreLabel(l, te, pe, 0);
        (lofoF1[l] ??= []).push(sc.f1.value);
        (lofoP[l] ??= []).push(sc.precision.value);
        (lofoR[l] ??= []).push(sc.recall.value);
        per.push(`${l} ${f3(sc.precision.value)}/${f3(sc.recall.value)}/${f3(sc.f1.value)}`);
      }
      console.log(`LOFO ${f} (scored only) P/R/F1: ${per.join('  ')}`);
      console.log(table(`\nscored only: trained on every dev file, scored on ${f}`, te, { 'rules alone': idx.map((i) => rulesPrediction(xsigs[i]!)), 'rules + model': pe }));
    }
    if (Object.keys(lofoF1).length) {
      const n = lofoF1.buying!.length;
      console.log(`\nSUMMARY mean F1 over all ${n} writers left out: ${LABELS.map((l) => `${l} ${f3(mean(lofoF1[l]!))}`).join('  ')}`);
      console.log(`SUMMARY mean P/R over all ${n} writers left out: ${LABELS.map((l) => `${l} ${f3(mean(lofoP[l]!))}/${f3(mean(lofoR[l]!))}`).join('  ')}`);
      console.log(`SUMMARY lowest P/R over all ${n} writers left out: ${LABELS.map((l) => `${l} ${f3(Math.min(...lofoP[l]!))}/${f3(Math.min(...lofoR[l]!))}`).join('  ')}`);
    }
  }
  // --fresh SNAPDIR: lines added to the dev files after SNAPDIR was copied were not read when the
  // rules and cue families were last changed: train on the snapshot's rows, score only the new ones.
  if (fresh) {
    const seen = new Set(readDev(`${fresh.replace(/\/$/u, '')}/`, () => {}).map((r) => r.id));
    const tr = rows.map((_, i) => i).filter((i) => seen.has(rows[i]!.id));
    const te = rows.map((_, i) => i).filter((i) => !seen.has(rows[i]!.id));
    if (!te.length) console.log(`\nfresh lines: none beyond ${fresh}`);
    else {
      const p = predictFold(tr.map((i) => rows[i]!), tr.map((i) => sigs[i]!), te.map((i) => rows[i]!), te.map((i) => sigs[i]!), o);
      const by = [...new Set(te.map((i) => rows[i]!.file))].map((f) => `${f} ${te.filter((i) => rows[i]!.file === f).length}`).join(', ');
      console.log(table(`\nfresh lines (${by}), trained on the ${tr.length} rows of ${fresh}`, te.map((i) => rows[i]!), { 'rules alone': te.map((i) => rules[i]!), 'rules + model': p }));
    }
  }
  if (process.argv.includes('--misses')) {
    const preds = kfold(rows, sigs, o, folds);
    for (const l of LABELS) {
      rows.forEach((r, i) => {
        const p = preds[i]!;
        const want = l === 'method' ? r.labels.methods.join('+') : String(r.labels[l]);
        const got = l === 'method' ? p.methods.join('+') : String(p[l]);
        if (want !== got) console.log(`${l}\t${r.id}\tlabel ${want || '–'}\tsaid ${got || '–'}\trules ${l === 'method' ? rules[i]!.methods.join('+') || '–' : String(rules[i]![l])}\t${r.text}`);
      });
    }
  }
}

main();
