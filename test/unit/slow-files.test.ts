// test/slow-files.ts names files npm test starts first: each must be a test file that exists, once.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOW_FILES } from '../slow-files';

const ROOT = resolve(import.meta.dirname, '../..');

describe('the slow files started first', () => {
  it.each(SLOW_FILES)('%s exists', (file) => {
    expect(file).toMatch(/^test\/(unit|e2e)\/.+\.test\.tsx?$/);
    expect(existsSync(resolve(ROOT, file))).toBe(true);
  });

  it('lists each file once', () => {
    expect(new Set(SLOW_FILES).size).toBe(SLOW_FILES.length);
  });
});
