// A chart.js chart in a canvas, created in an effect and destroyed on unmount or when its
// data changes (chart.js keeps a registry per canvas: a second chart on the same canvas
// throws). Only the controllers used here are registered, so the bundle tree-shakes the rest.
// Every chart is paired with a table of the same numbers (ChartBlock): screen readers, print,
// and anyone who wants the figure rather than the bar.
import { useEffect, useRef } from 'preact/hooks';
import { ArcElement, BarController, BarElement, CategoryScale, Chart as ChartJs, DoughnutController, Legend, LinearScale, Tooltip } from 'chart.js';
import type { ComponentChildren } from 'preact';

ChartJs.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Tooltip, Legend);

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
}

const COLORS = ['#2f6bff', '#15a36b', '#f59e0b', '#e5484d', '#8b5cf6', '#0ea5e9', '#64748b'];

export function Chart({ type, title, labels, series, horizontal, height = 220 }: ChartProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const key = JSON.stringify([type, labels, series, horizontal]);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    // No 2D context (a test DOM, a locked-down page): the table beside the chart still has the numbers.
    if (!ctx) return;
    const chart = new ChartJs(ctx, {
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
  }, [key]);
  return (
    <div class="lzr-canvas" style={{ height: `${height}px` }}>
      <canvas ref={ref} data-testid="chart-canvas" role="img" aria-label={title} />
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
