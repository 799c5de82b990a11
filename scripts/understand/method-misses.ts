// npx tsx scripts/understand/method-misses.ts FILE…
// The rules' follow-up methods against the labels of development files (never test*): each
// message where they differ, with what was labelled and what the rules said. For reading a
// writer's file when its method figures fall (cv.ts --lofo-only prints the figures).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { predictRules } from './predictors';
import type { Labelled } from './evaluate';

const files = process.argv.slice(2);
if (!files.length || files.some((f) => basename(f).startsWith('test'))) {
  console.error('usage: method-misses.ts data/understand/dev-….jsonl … (development files only)');
  process.exit(2);
}
for (const f of files) {
  const rows = readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Labelled & { id: string });
  const preds = predictRules(rows);
  let fp = 0;
  let fn = 0;
  rows.forEach((r, i) => {
    const want = [...r.labels.methods].sort().join('+');
    const got = [...preds[i]!.methods].sort().join('+');
    if (want === got) return;
    if (got && !want) fp++;
    else if (want && !got) fn++;
    console.log(`${r.id}\tlabel ${want || '–'}\tsaid ${got || '–'}\t${r.text}`);
  });
  console.log(`${f}: ${rows.length} messages, ${fp} said where none labelled, ${fn} missed, others differ in the channel`);
}
