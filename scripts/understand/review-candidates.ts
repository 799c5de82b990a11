// npx tsx scripts/understand/review-candidates.ts [--data DIR] [--min 0.8] [--label buying] [--file rules-dev-w5.jsonl]
// Candidates for a label review (issue 18): lines whose label a model that never saw their writer
// confidently disputes. For each development file (dev*.jsonl and the rules-only rules-dev-*.jsonl),
// a model is trained on the four dev*.jsonl files of the OTHER writers and scores this one; a line
// is printed when the calibrated probability sits on the far side of the label by --min (p ≥ min
// for a line labelled false, p ≤ 1 − min for a line labelled true), with the rules' signals.
// The model only finds candidates: each line is then decided by reading it against
// docs/labelling-guide.md, never by this score. Never reads test*.
import { readdirSync } from 'node:fs';
import { UnderstandModel, type ModelLabel, decodeWeights } from '../../lib/understand/model/classify';
import { DATA_DIR, DEFAULT_LEARN, type DevRow, examples, fit, signalsFor } from './learn';
import { readCorpus } from './evaluate';
import { methodsOf } from './predictors';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const dir = (arg('data') ?? DATA_DIR).replace(/\/?$/u, '/');
const min = Number(arg('min') ?? 0.8);
const only = arg('label') as ModelLabel | undefined;
const onlyFile = arg('file');

// Both the trained files and the rules-only ones are reviewed; only dev*.jsonl are trained on.
const files = readdirSync(dir)
  .filter((f) => /^(rules-)?dev[\w-]*\.jsonl$/u.test(f))
  .sort();
const rows: DevRow[] = files.flatMap((f) => readCorpus(`${dir}${f}`).map((r) => ({ ...r, file: f })));
const sigs = signalsFor(rows);
const o = DEFAULT_LEARN;

for (const f of files) {
  if (onlyFile && f !== onlyFile) continue;
  const tr = rows.map((_, i) => i).filter((i) => rows[i]!.file !== f && rows[i]!.file.startsWith('dev'));
  const te = rows.map((_, i) => i).filter((i) => rows[i]!.file === f);
  const { model } = fit(examples(tr.map((i) => rows[i]!), tr.map((i) => sigs[i]!), o.features, o.methodTarget), o, 'review');
  const m = new UnderstandModel(decodeWeights(model));
  let n = 0;
  for (const i of te) {
    const r = rows[i]!;
    const s = sigs[i]!;
    const c = m.scores(r.text, s);
    const rule = `rules b${s.buying.length > 0 ? 1 : 0} c${s.complaint.length > 0 ? 1 : 0} n${s.noise ? 1 : 0} m:${methodsOf(s).join('+') || '–'}`;
    for (const l of ['buying', 'complaint', 'noise', 'method'] as const) {
      if (only && l !== only) continue;
      const want = l === 'method' ? r.labels.methods.length > 0 : r.labels[l];
      const p = c[l].p;
      if (want ? p <= 1 - min : p >= min) {
        n++;
        console.log(`${f}\t${r.id}\t${l}\tlabel ${want ? 1 : 0}\tp ${p.toFixed(2)}\t${rule}\tm:${r.labels.methods.join('+') || '–'}\t${r.text}`);
      }
    }
  }
  console.error(`${f}: ${te.length} lines, ${n} disputed at ${min}`);
}
