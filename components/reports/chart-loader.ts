// Loads chart.js (chart-setup.ts, its own chunk) once for every chart on the page. A failed load
// (the extension was updated under an open page, a missing file) is not cached: the next try
// loads again.
import type { Chart } from 'chart.js';

export type ChartCtor = typeof Chart;

let loaded: ChartCtor | null = null;
let pending: Promise<ChartCtor> | null = null;

/** chart.js if it has already arrived, so a chart drawn again draws at once. */
export const chartJsNow = (): ChartCtor | null => loaded;

export function loadChartJs(): Promise<ChartCtor> {
  pending ??= import('./chart-setup').then(
    (m) => (loaded = m.Chart),
    (err: unknown) => {
      pending = null;
      throw err;
    },
  );
  return pending;
}
