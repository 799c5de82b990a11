// vitest's sequencer with the files of test/slow-files.ts started first, in that order; every
// other file keeps vitest's own order (cached durations, else size). See test/slow-files.ts.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { SLOW_FILES } from './slow-files.ts';

const RANK = new Map(SLOW_FILES.map((file, i) => [file, i]));

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (s: TestSpecification) => RANK.get(relative(root, s.moduleId).split('\\').join('/')) ?? SLOW_FILES.length;
    return base
      .map((spec, i) => ({ spec, i, r: rank(spec) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.spec);
  }
}
