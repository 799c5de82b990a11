// npx tsx scripts/understand/relabel.ts ID:FIELD=VALUE …   (FIELD: buying | complaint | noise | methods)
// e.g. dw5-0091:buying=true  de2-0177:methods=邮件  de2-0177:noise=false  dz2-0162:methods=微信,电话
// Changes labels of development lines (issue 18's label review) and nothing else: the id, text and
// every other field stay byte for byte, and each file keeps its own JSON spacing (two writers wrote
// `"key": value`, the others `"key":value`), so a review's diff shows only the labels it changed.
// Finds each id in data/understand/dev*.jsonl and rules-dev-*.jsonl; never opens test*.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { FOLLOW_UP_METHODS } from '../../lib/model/enums';
import { DATA_DIR } from './learn';

type Labels = { buying: boolean; complaint: boolean; noise: boolean; methods: string[] };

function parseEdit(a: string): { id: string; field: keyof Labels; value: boolean | string[] } {
  const m = /^([\w-]+):(buying|complaint|noise|methods)=(.*)$/u.exec(a);
  if (!m) throw new Error(`${a}: want ID:FIELD=VALUE`);
  const [, id, field, v] = m as unknown as [string, string, keyof Labels, string];
  if (field === 'methods') {
    const ms = v ? v.split(',') : [];
    for (const x of ms) if (!(FOLLOW_UP_METHODS as readonly string[]).includes(x)) throw new Error(`${a}: unknown method ${x}`);
    return { id, field, value: ms };
  }
  if (v !== 'true' && v !== 'false') throw new Error(`${a}: want true or false`);
  return { id, field, value: v === 'true' };
}

const edits = process.argv.slice(2).map(parseEdit);
if (!edits.length) {
  console.error('usage: relabel.ts ID:FIELD=VALUE …');
  process.exit(2);
}
const files = readdirSync(DATA_DIR).filter((f) => /^(rules-)?dev[\w-]*\.jsonl$/u.test(f));
const pending = new Set(edits.map((e) => e.id));
for (const f of files) {
  const path = `${DATA_DIR}${f}`;
  const lines = readFileSync(path, 'utf8').split('\n');
  let changed = 0;
  const out = lines.map((line) => {
    if (!line.trim()) return line;
    const row = JSON.parse(line) as { id: string; labels: Labels };
    const mine = edits.filter((e) => e.id === row.id);
    if (!mine.length) return line;
    pending.delete(row.id);
    const labels: Labels = { ...row.labels };
    for (const e of mine) (labels as Record<string, unknown>)[e.field] = e.value;
    // Same key order as the file; the spacing follows the line's own.
    const spaced = line.includes('"labels": {');
    const body = JSON.stringify({ buying: labels.buying, complaint: labels.complaint, noise: labels.noise, methods: labels.methods }, null, spaced ? 1 : undefined);
    const json = spaced ? body.replace(/\n\s*/gu, ' ').replace(/\[ /gu, '[').replace(/ \]/gu, ']').replace(/\{ /gu, '{').replace(/ \}/gu, '}') : body;
    const at = line.indexOf(spaced ? '"labels": {' : '"labels":{');
    const end = line.indexOf('}', at);
    const next = `${line.slice(0, at)}${spaced ? '"labels": ' : '"labels":'}${json}${line.slice(end + 1)}`;
    // The edited line must still parse to the same row apart from the labels.
    const check = JSON.parse(next) as { labels: Labels };
    if (JSON.stringify({ ...check, labels: null }) !== JSON.stringify({ ...row, labels: null }) || JSON.stringify(check.labels) !== JSON.stringify(labels)) throw new Error(`${row.id}: edit would change more than the labels`);
    if (next !== line) changed++;
    console.log(`${f}\t${row.id}\t${JSON.stringify(row.labels)} → ${JSON.stringify(labels)}`);
    return next;
  });
  if (changed) writeFileSync(path, out.join('\n'));
}
if (pending.size) {
  console.error(`not found: ${[...pending].join(' ')}`);
  process.exit(1);
}
