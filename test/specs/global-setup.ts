// Global set-up of `npm run test:specs`: refuses to start without the vendors' files, and at the
// end sums the records every worker appended (test/specs/openapi.ts reportLine) into one table
// per vendor. A violation also fails its own test (each contract test asserts its log is clean);
// the table is the run's evidence, and a vendor with no validated request is called out.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { missingSpecMessage, specsDir } from './openapi';

interface Line {
  vendor: string;
  operation?: string;
  status?: number;
  ok: boolean;
  errors: string[];
  method: string;
  url: string;
  patches: string[];
}

export function setup() {
  if (!existsSync(specsDir())) throw new Error(missingSpecMessage('SOURCES.md'));
}

export function teardown() {
  const dir = process.env.LIAISON_SPECS_REPORT;
  if (!dir || !existsSync(dir)) return;
  const lines: Line[] = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(resolve(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line));
  rmSync(dir, { recursive: true, force: true });
  const vendors = [...new Set(lines.map((l) => l.vendor))].sort();
  const out: string[] = ['', 'Requests checked against the vendors\' own API descriptions (../shared/specs):'];
  let bad = 0;
  for (const v of vendors) {
    const mine = lines.filter((l) => l.vendor === v);
    const requests = mine.filter((l) => l.operation && l.status === undefined);
    const replies = mine.filter((l) => l.operation && l.status !== undefined);
    const uncovered = [...new Set(mine.filter((l) => !l.operation).map((l) => `${l.method} ${l.url.replace(/\/\d+(?=\/|$)/g, '/{n}')}`))];
    const violations = mine.reduce((n, l) => n + l.errors.length, 0);
    bad += violations;
    const ops = new Set(requests.map((l) => l.operation));
    out.push(`  ${v}: ${requests.length} requests validated (${ops.size} operations), ${violations} violations, ${mine.filter((l) => !l.operation).length} uncovered, ${replies.length} replies checked`);
    if (uncovered.length) out.push(`    uncovered (no operation in the files): ${uncovered.join(', ')}`);
    const patches = [...new Set(mine.flatMap((l) => l.patches))];
    if (patches.length) out.push(`    overlay patches applied: ${patches.join(', ')}`);
    for (const e of [...new Set(mine.flatMap((l) => l.errors))].slice(0, 20)) out.push(`    ✖ ${e}`);
    if (!requests.length) out.push('    ✖ no request was validated for this vendor');
  }
  if (!vendors.length) out.push('  ✖ no request was recorded at all: no contract test used test/specs/openapi.ts');
  console.log(out.join('\n'));
  // A throw here is printed but leaves vitest's exit code at 0: set it, then say why.
  if (bad || !vendors.length) process.exitCode = 1;
  if (bad) throw new Error(`${bad} violations of the vendors' API descriptions (listed above)`);
  if (!vendors.length) throw new Error('no request was checked against a vendor description');
}
