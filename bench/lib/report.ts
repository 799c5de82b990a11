// The shape every measurement returns, and the small statistics they share. Each figure carries
// its unit and (when the project set one) its target, so the table and results.md say met/missed
// without anyone re-deriving it by hand.

export interface Target {
  /** '<=' for costs (time, bytes, requests), '>=' for speed-ups. */
  op: '<=' | '>=';
  value: number;
}

export interface Figure {
  area: string;
  metric: string;
  value: number;
  unit: string;
  target?: Target;
  /** One line: how it was measured, or why it is what it is. */
  note?: string;
}

export interface Section {
  area: string;
  figures: Figure[];
  /** Longer explanations for results.md (method, caveats, misses). */
  notes: string[];
}

export function met(f: Figure): boolean | undefined {
  if (!f.target) return undefined;
  return f.target.op === '<=' ? f.value <= f.target.value : f.value >= f.target.value;
}

/** Nearest-rank percentile (p in 0..100) of a non-empty sample. */
export function percentile(xs: readonly number[], p: number): number {
  if (!xs.length) throw new Error('percentile of an empty sample');
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length, Math.max(1, rank)) - 1]!;
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function fmt(x: number): string {
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const abs = Math.abs(x);
  return x.toLocaleString('en-US', { maximumFractionDigits: abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3 });
}

export function targetText(t: Target | undefined, unit: string): string {
  return t ? `${t.op === '<=' ? '≤' : '≥'} ${fmt(t.value)} ${unit}`.trim() : '';
}

/** "missed by 23 % (123 ms vs ≤ 100 ms)" style wording for results.md. */
export function verdict(f: Figure): string {
  const m = met(f);
  if (m === undefined) return '—';
  if (m) return 'met';
  const t = f.target!;
  const ratio = t.op === '<=' ? f.value / t.value : t.value / Math.max(f.value, 1e-9);
  return `MISSED (×${fmt(round(ratio, 2))})`;
}
