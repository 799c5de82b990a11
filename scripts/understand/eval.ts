// npm run eval [-- --split dev|test] [--slice N] [--examples N] [--rules-only] [--llm]
// Scores the frozen test part (data/understand/test.jsonl) for the rules alone and for rules +
// model, with 95% intervals and confusion examples, after checking the test file's hash.
// --llm also scores an OpenAI-compatible endpoint from the environment:
//   LIAISON_EVAL_LLM_BASE_URL (e.g. http://127.0.0.1:11434/v1), LIAISON_EVAL_LLM_MODEL,
//   LIAISON_EVAL_LLM_KEY (optional for a loopback endpoint), LIAISON_EVAL_LLM_TIMEOUT_MS.
import { fileURLToPath } from 'node:url';
import { checkHash, evaluateSystem, formatHash, formatSystem, readCorpus, type SystemReport } from './evaluate';
import { predictLlm, predictModel, predictRules } from './predictors';

const DATA = fileURLToPath(new URL('../../data/understand/', import.meta.url));

export interface EvalOptions {
  split: 'dev' | 'test';
  /** Score the rules alone (the baseline before the model existed). */
  rulesOnly?: boolean;
  slice?: number;
  examples?: number;
  resamples?: number;
  llm?: { baseUrl: string; model: string; apiKey: string; timeoutMs: number };
  fetch?: typeof fetch;
}

export interface EvalReport {
  split: 'dev' | 'test';
  hash?: ReturnType<typeof checkHash>;
  systems: SystemReport[];
  llmFailures?: number;
  text: string;
}

export async function runEval(opts: EvalOptions): Promise<EvalReport> {
  const file = `${DATA}${opts.split}.jsonl`;
  const hash = opts.split === 'test' ? checkHash(file, `${DATA}test.sha256`) : undefined;
  let rows = readCorpus(file);
  if (opts.slice) rows = rows.slice(0, opts.slice);
  const o = { ...(opts.examples !== undefined ? { examples: opts.examples } : {}), ...(opts.resamples !== undefined ? { resamples: opts.resamples } : {}) };
  const systems = [evaluateSystem('rules alone', rows, predictRules(rows), o)];
  if (!opts.rulesOnly) systems.push(evaluateSystem('rules + model', rows, await predictModel(rows), o));
  let llmFailures: number | undefined;
  if (opts.llm) {
    const r = await predictLlm(rows, { endpoint: opts.llm, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
    llmFailures = r.failures;
    systems.push(evaluateSystem(`LLM ${opts.llm.model} @ ${opts.llm.baseUrl}`, rows, r.predictions, o));
  }
  const text = [
    `# Understanding evaluation: ${opts.split} part${opts.slice ? ` (first ${rows.length})` : ''}, ${rows.length} messages`,
    '',
    hash ? formatHash(hash) : `(dev part: no frozen-hash check; dev is for tuning)`,
    '',
    ...systems.flatMap((s) => [formatSystem(s), '']),
    ...(llmFailures !== undefined ? [`LLM answers that could not be used (counted as no signal): ${llmFailures}`] : []),
  ].join('\n');
  return { split: opts.split, ...(hash ? { hash } : {}), systems, ...(llmFailures !== undefined ? { llmFailures } : {}), text };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const split = (arg('split') ?? 'test') as 'dev' | 'test';
  if (split !== 'dev' && split !== 'test') throw new Error(`--split must be dev or test, not ${String(split)}`);
  let llm: EvalOptions['llm'];
  if (process.argv.includes('--llm')) {
    const baseUrl = process.env.LIAISON_EVAL_LLM_BASE_URL ?? '';
    const model = process.env.LIAISON_EVAL_LLM_MODEL ?? '';
    if (!baseUrl || !model) throw new Error('--llm needs LIAISON_EVAL_LLM_BASE_URL and LIAISON_EVAL_LLM_MODEL (and LIAISON_EVAL_LLM_KEY unless loopback)');
    llm = { baseUrl, model, apiKey: process.env.LIAISON_EVAL_LLM_KEY ?? '', timeoutMs: Number(process.env.LIAISON_EVAL_LLM_TIMEOUT_MS ?? 30_000) };
  }
  const slice = arg('slice');
  const examples = arg('examples');
  const report = await runEval({ split, rulesOnly: process.argv.includes('--rules-only'), ...(slice ? { slice: Number(slice) } : {}), ...(examples ? { examples: Number(examples) } : {}), ...(llm ? { llm } : {}) });
  console.log(report.text);
  if (report.hash && !report.hash.ok) process.exitCode = 2;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
