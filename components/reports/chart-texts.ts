// What a chart says while chart.js loads and when it cannot, in both languages (kept beside the
// chart rather than in the shared catalogue, as components/leads/texts.ts does).
const zh = {
  loading: '正在加载图表…',
  failed: '图表组件加载失败，图表无法显示（右侧表格中的数字不受影响）。',
  retry: '重试',
} as const;
const en: Record<keyof typeof zh, string> = {
  loading: 'Loading the chart…',
  failed: 'The chart component failed to load, so the chart cannot be shown (the numbers in the table beside it are unaffected).',
  retry: 'Retry',
};

export type ChartTexts = typeof en;

export function chartTexts(locale: string | undefined): ChartTexts {
  return locale === 'en' ? en : zh;
}
