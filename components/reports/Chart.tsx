// A chart.js chart in a canvas, created in an effect and destroyed on unmount or when its
// data changes (chart.js keeps a registry per canvas: a second chart on the same canvas
// throws). Only the controllers used here are registered (chart-setup.ts), so the bundle
// tree-shakes the rest, and chart.js arrives with import() when the first chart is shown: the
// canvas says it is loading meanwhile, and says so plainly if it cannot load.
// Every chart is paired with a table of the same numbers (ChartBlock): screen readers, print,
// and anyone who wants the figure rather than the bar.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { chartJsNow, loadChartJs, type ChartCtor } from './chart-loader';
import { chartTexts } from './chart-texts';

export interface Series {
  label: string;
  data: number[];
}

export interface ChartProps {
  type: 'bar' | 'doughnut';
  title: string;
  labels: string[];
  series: Series[];
  horizontal?: boolean;
  height?: number;
  /** The page's language for the loading and failure lines ('zh_CN' when absent). */
  locale?: string;
}

const COLORS = ['#2f6bff', '#15a36b', '#f59e0b', '#e5484d', '#8b5cf6', '#0ea5e9', '#64748b'];

export function Chart({ type, title, labels, series, horizontal, height = 220, locale }: ChartProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const key = JSON.stringify([type, labels, series, horizontal]);
  const [lib, setLib] = useState<ChartCtor | null>(chartJsNow);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const texts = chartTexts(locale);
  useEffect(() => {
    if (lib) return;
    let live = true;
    setFailed(false);
    loadChartJs().then(
      (c) => live && setLib(() => c),
      (err: unknown) => {
        console.error('[liaison] chart.js failed to load', err);
        if (live) setFailed(true);
      },
    );
    return () => void (live = false);
  }, [lib, attempt]);
  useEffect(() => {
    const ctx = lib ? ref.current?.getContext('2d') : null;
    // No 2D context (a test DOM, a locked-down page): the table beside the chart still has the numbers.
    if (!lib || !ctx) return;
    const chart = new lib(ctx, {
      type,
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.data,
          backgroundColor: type === 'doughnut' ? labels.map((_, j) => COLORS[j % COLORS.length]!) : COLORS[i % COLORS.length]!,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        ...(type === 'bar' ? { indexAxis: horizontal ? ('y' as const) : ('x' as const), scales: { x: { beginAtZero: true }, y: { beginAtZero: true } } } : {}),
        plugins: { legend: { display: series.length > 1 || type === 'doughnut' } },
      },
    });
    return () => chart.destroy();
    // key stands for the data: a new array with the same numbers doesn't rebuild the chart.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, lib]);
  return (
    <div class="lzr-canvas" style={{ height: `${height}px` }} aria-busy={!lib && !failed}>
      <canvas ref={ref} data-testid="chart-canvas" role="img" aria-label={title} />
      {!lib && !failed && (
        <p class="lzr-chart-note" role="status" data-testid="chart-loading">
          {texts.loading}
        </p>
      )}
      {failed && (
        <div class="lzr-chart-note lzr-chart-failed" role="alert" data-testid="chart-failed">
          <p>{texts.failed}</p>
          <button type="button" class="lzo-btn" onClick={() => setAttempt((n) => n + 1)}>
            {texts.retry}
          </button>
        </div>
      )}
    </div>
  );
}

/** A chart with its numbers in a table beside it. */
export function ChartBlock(props: ChartProps & { table: ComponentChildren; testid?: string }) {
  const { table, testid, ...chart } = props;
  return (
    <figure class="lzr-block" data-testid={testid}>
      <figcaption class="lzr-block-title">{chart.title}</figcaption>
      <div class="lzr-block-body">
        <Chart {...chart} />
        <div class="lzr-table-wrap">{table}</div>
      </div>
    </figure>
  );
}
