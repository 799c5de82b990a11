// Every unit or component file that uses vi.mock runs in an isolated project (vitest.config.ts):
// in the shared-module projects its mock might not replace a module another file loaded first.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { MOCKING_DOM, MOCKING_UNIT } from '../isolated-files';

const ROOT = resolve(import.meta.dirname, '../..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return /\.test\.tsx?$/.test(e.name) ? [relative(ROOT, path)] : [];
  });
}

it('lists exactly the unit and component files that call vi.mock, each where it belongs', () => {
  const mocking = testFiles(join(ROOT, 'test/unit'))
    .filter((f) => /\bvi\.(mock|doMock)\(/.test(readFileSync(join(ROOT, f), 'utf8')))
    .sort();
  expect(mocking.length).toBeGreaterThan(0);
  expect([...MOCKING_UNIT, ...MOCKING_DOM].sort()).toEqual(mocking);
  for (const f of MOCKING_DOM) expect(f.startsWith('test/unit/components/')).toBe(true);
  for (const f of MOCKING_UNIT) expect(f.startsWith('test/unit/components/')).toBe(false);
});
