// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';

// chart.js needs a real canvas; record what the Chart component asks of it instead.
const charts = vi.hoisted(() => ({ created: [] as { config: unknown }[], destroyed: 0 }));
vi.mock('chart.js', () => {
  class Chart {
    static register = vi.fn();
    constructor(_ctx: unknown, config: unknown) {
      charts.created.push({ config });
    }
    destroy() {
      charts.destroyed += 1;
    }
  }
  const el = class {};
  return { Chart, BarController: el, BarElement: el, CategoryScale: el, LinearScale: el, DoughnutController: el, ArcElement: el, Tooltip: el, Legend: el };
});

import { ReportView } from '../../../components/reports/ReportView';
import { Chart } from '../../../components/reports/Chart';
import { createPageT as createT } from '../../../lib/i18n/pages';
import type { Report } from '../../../lib/stats/report';

afterEach(() => {
  cleanup();
  charts.created.length = 0;
  charts.destroyed = 0;
  vi.restoreAllMocks();
});

const MON = Date.UTC(2026, 2, 1, 16); // Mon 2026-03-02 00:00 Shanghai
const DAY = 86_400_000;

function report(over: Partial<Report> = {}): Report {
  return {
    from: MON,
    to: MON + 7 * DAY,
    tz: 'Asia/Shanghai',
    headline: { newCustomers: 12, followUps: 34, followUpCustomers: 20, dealsClosed: 3, dealAmount: 450_000, commission: 4500, remindersDue: 10, missed: 4 },
    newByDay: ['03-02', '03-03', '03-04', '03-05', '03-06', '03-07', '03-08'].map((d, i) => ({ key: `2026-${d}`, count: i })),
    followUpsByDay: ['03-02', '03-03', '03-04', '03-05', '03-06', '03-07', '03-08'].map((d) => ({ key: `2026-${d}`, count: 2 })),
    followUpsByMethod: [{ key: '电话', count: 20 }, { key: '微信', count: 14 }],
    followUpsByResult: [],
    stageMoves: [{ key: '新客户', count: 12 }, { key: '已联系', count: 5 }],
    deals: { closed: 3, amount: 450_000, commission: 4500, byProduct: [{ key: '信用贷', count: 2, amount: 300_000 }] },
    missed: { due: 10, onTime: 6, late: 3, open: 1, items: [{ reminderId: 'r1', customerId: 'c1', dueAt: MON + DAY, kind: 'open' }] },
    bySource: [{ key: '抖音', count: 7 }, { key: '', count: 5 }],
    byProduct: [{ key: '车贷', count: 12, amount: 1_000_000 }],
    byOwner: [{ owner: '小王', newCustomers: 6, followUps: 20, deals: 2, dealAmount: 300_000 }],
    funnel: {
      steps: [
        { stage: '新客户', reached: 100, current: 40, conversion: null, medianDays: 1.5, medianApprox: true, medianSample: 10 },
        { stage: '已联系', reached: 60, current: 30, conversion: 0.6, medianDays: null, medianApprox: false, medianSample: 0 },
        { stage: '成交', reached: 30, current: 30, conversion: 0.5, medianDays: null, medianApprox: false, medianSample: 0 },
      ],
      lost: 10,
      lostStage: '流失',
      total: 110,
    },
    productInquiries: [{ product: '信用贷', mentions: 9, customers: 7, withDeal: 2, conversion: 2 / 7 }],
    approximations: ['funnel', 'stageMoves'],
    ...over,
  };
}

const baseProps = () => ({
  t: createT('zh_CN'),
  preset: 'thisWeek' as const,
  range: { from: MON, to: MON + 7 * DAY },
  tz: 'Asia/Shanghai',
  now: MON + 2 * DAY,
  onRangeChange: vi.fn(),
  names: { c1: '王小明' },
});

const cells = (table: HTMLElement) => [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));

describe('ReportView', () => {
  it('shows the headline numbers', () => {
    render(<ReportView {...baseProps()} report={report()} />);
    const h = screen.getByTestId('report-headline');
    expect(within(h).getByTestId('headline-new').textContent).toContain('12');
    expect(within(h).getByTestId('headline-amount').textContent).toContain('450,000');
    expect(within(h).getByTestId('headline-missed').textContent).toContain('4 / 10');
  });

  it('puts each chart’s numbers in the table beside it', () => {
    render(<ReportView {...baseProps()} report={report()} />);
    expect(cells(within(screen.getByTestId('by-source')).getByTestId('chart-table'))).toEqual([['抖音', '7'], ['未填写', '5']]);
    expect(cells(within(screen.getByTestId('trend')).getByTestId('chart-table'))[3]).toEqual(['2026-03-05', '3', '2']);
    expect(cells(within(screen.getByTestId('funnel')).getByTestId('chart-table'))).toEqual([
      ['新客户', '100', '40', '—', '1.5*'],
      ['已联系', '60', '30', '60%', '—'],
      ['成交', '30', '30', '50%', '—'],
      ['流失', '—', '10', '9.1%', '—'],
    ]);
    expect(cells(within(screen.getByTestId('product-inquiries')).getByTestId('chart-table'))).toEqual([['信用贷', '9', '7', '2', '28.6%']]);
    expect(screen.getByTestId('missed').textContent).toContain('王小明');
    expect(screen.getByTestId('report-approx').querySelectorAll('li')).toHaveLength(2);
  });

  it('draws charts into canvases with the same numbers, and destroys them on unmount', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as never);
    const { unmount } = render(<ReportView {...baseProps()} report={report()} />);
    // chart.js arrives with import() (components/reports/chart-loader.ts): the charts follow.
    await waitFor(() => expect(charts.created.length).toBeGreaterThan(0));
    expect(screen.getAllByTestId('chart-canvas').length).toBe(charts.created.length);
    const source = charts.created.find((c) => JSON.stringify(c.config).includes('抖音'))!.config as { type: string; data: { datasets: { data: number[] }[] } };
    expect(source.type).toBe('doughnut');
    expect(source.data.datasets[0]!.data).toEqual([7, 5]);
    const n = charts.created.length;
    unmount();
    // Preact 11 runs unmount cleanups after the render pass.
    await waitFor(() => expect(charts.destroyed).toBe(n));
  });

  it('renders in English and switches ranges', () => {
    const props = baseProps();
    render(<ReportView {...props} t={createT('en')} report={report()} />);
    expect(screen.getByTestId('report-headline').textContent).toContain('New customers');
    fireEvent.click(screen.getByTestId('range-lastWeek'));
    expect(props.onRangeChange).toHaveBeenCalledWith('lastWeek', { from: MON - 7 * DAY, to: MON });
  });

  it('applies a custom range with an inclusive end day', () => {
    const props = baseProps();
    render(<ReportView {...props} preset="custom" report={null} />);
    fireEvent.input(screen.getByTestId('range-from'), { target: { value: '2026-03-02' } });
    fireEvent.input(screen.getByTestId('range-to'), { target: { value: '2026-03-03' } });
    fireEvent.click(screen.getByTestId('range-apply'));
    expect(props.onRangeChange).toHaveBeenCalledWith('custom', { from: MON, to: MON + 2 * DAY });
  });
});

describe('Chart', () => {
  it('mounts without a 2D context (nothing drawn, no throw)', () => {
    const { unmount } = render(<Chart type="bar" title="x" labels={['a']} series={[{ label: 'n', data: [1] }]} />);
    expect(charts.created).toHaveLength(0);
    unmount();
  });

  it('rebuilds when the data changes, destroying the old chart first', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as never);
    const { rerender } = render(<Chart type="bar" title="x" labels={['a']} series={[{ label: 'n', data: [1] }]} />);
    await waitFor(() => expect(charts.created).toHaveLength(1));
    rerender(<Chart type="bar" title="x" labels={['a']} series={[{ label: 'n', data: [1] }]} />);
    expect(charts.created).toHaveLength(1); // same numbers: kept
    rerender(<Chart type="bar" title="x" labels={['a']} series={[{ label: 'n', data: [2] }]} />);
    expect(charts.created).toHaveLength(2);
    await waitFor(() => expect(charts.destroyed).toBe(1));
  });
});
