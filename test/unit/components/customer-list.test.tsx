// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CustomerList, type CustomerListProps } from '../../../components/customers/CustomerList';
import type { CustomerRow, ListQuery, ListResult } from '../../../lib/customers/bulk';
import { createPageT as createT } from '../../../lib/i18n/pages';
import { DEFAULT_SOURCES, DEFAULT_STAGES } from '../../../lib/model';

afterEach(cleanup);

const N = 100_000;
const NOW = Date.UTC(2026, 2, 5, 2);
const row = (i: number): CustomerRow => ({
  id: `c${i}`, code: `KH${String(i).padStart(6, '0')}`, name: `客户${i}`, phones: [], stage: i % 2 ? '跟进中' : '新客户', tags: [], createdAt: i, updatedAt: i,
});

/** An in-memory list of 100,000 customers, filtering like the background would. */
function loader() {
  return vi.fn(async (q: ListQuery): Promise<ListResult> => {
    const match = (i: number) => (!q.stage || row(i).stage === q.stage) && (!q.query || `客户${i}`.includes(q.query));
    const ids: number[] = [];
    for (let i = 0; i < N && ids.length < q.offset + q.limit + 1; i++) if (match(i)) ids.push(i);
    const total = q.stage ? N / 2 : q.query ? Array.from({ length: N }, (_, i) => i).filter(match).length : N;
    return { total, rows: ids.slice(q.offset, q.offset + q.limit).map(row) };
  });
}

function setup(over: Partial<CustomerListProps> = {}) {
  const props: CustomerListProps = {
    t: createT('zh_CN'),
    stages: [...DEFAULT_STAGES],
    sources: [...DEFAULT_SOURCES],
    tags: ['vip'],
    now: NOW,
    load: loader(),
    selectAllMatching: vi.fn(async () => ['c1', 'c3', 'c5']),
    onBulkUpdate: vi.fn(async () => undefined),
    rowHeight: 40,
    height: 400,
    ...over,
  };
  return { ...render(<CustomerList {...props} />), props };
}

describe('CustomerList', () => {
  it('renders only the visible rows of 100,000', async () => {
    setup();
    await waitFor(() => expect(screen.getByTestId('list-total').textContent).toContain('100000'));
    const rows = screen.getAllByTestId('customer-row');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]!.textContent).toContain('客户0');
  });

  it('loads the page in view when scrolled', async () => {
    const { props } = setup();
    await screen.findByText('客户0');
    const scroller = screen.getByTestId('list-scroller');
    scroller.scrollTop = 50_000 * 40;
    fireEvent.scroll(scroller);
    await screen.findByText('客户50000');
    expect(vi.mocked(props.load).mock.calls.some(([q]) => q.offset === 50_000 - (50_000 % 100))).toBe(true);
    expect(screen.queryByText('客户0')).toBeNull();
  });

  it('filters by stage and sorts by a column', async () => {
    const { props } = setup();
    await screen.findByText('客户0');
    fireEvent.change(screen.getByTestId('filter-stage'), { target: { value: '跟进中' } });
    await waitFor(() => expect(screen.getByTestId('list-total').textContent).toContain('50000'));
    expect(vi.mocked(props.load).mock.lastCall![0]).toMatchObject({ stage: '跟进中', offset: 0 });
    fireEvent.click(screen.getByTestId('sort-name'));
    await waitFor(() => expect(vi.mocked(props.load).mock.lastCall![0]).toMatchObject({ sort: 'name', dir: 'asc' }));
  });

  it('searches after typing stops', async () => {
    const { props } = setup();
    await screen.findByText('客户0');
    fireEvent.input(screen.getByTestId('list-search'), { target: { value: '客户99999' } });
    await waitFor(() => expect(vi.mocked(props.load).mock.lastCall![0]).toMatchObject({ query: '客户99999' }));
    await waitFor(() => expect(screen.getAllByTestId('customer-row')).toHaveLength(1));
  });

  it('selects with click and shift-click, then changes the stage of the selection', async () => {
    const { props } = setup();
    await screen.findByText('客户0');
    const rows = () => screen.getAllByTestId('customer-row');
    fireEvent.click(rows()[1]!);
    fireEvent.click(rows()[4]!, { shiftKey: true });
    expect(screen.getByTestId('batch-bar').textContent).toContain('已选 4 位');
    fireEvent.change(screen.getByTestId('batch-stage'), { target: { value: '成交' } });
    fireEvent.click(screen.getByTestId('batch-apply-stage'));
    await waitFor(() => expect(props.onBulkUpdate).toHaveBeenCalledWith(['c1', 'c2', 'c3', 'c4'], { stage: '成交' }));
  });

  it('selects all matching through the callback and adds tags', async () => {
    const { props } = setup();
    await screen.findByText('客户0');
    fireEvent.click(screen.getByTestId('select-all'));
    await waitFor(() => expect(screen.getByTestId('batch-bar').textContent).toContain('已选 3 位'));
    fireEvent.input(screen.getByTestId('batch-tags'), { target: { value: '重点, vip' } });
    fireEvent.click(screen.getByTestId('batch-add-tags'));
    await waitFor(() => expect(props.onBulkUpdate).toHaveBeenCalledWith(['c1', 'c3', 'c5'], { addTags: ['重点', 'vip'] }));
  });

  it('shows a failed bulk update inline', async () => {
    setup({ onBulkUpdate: vi.fn(async () => Promise.reject(new Error('outbox full'))) });
    await screen.findByText('客户0');
    fireEvent.click(screen.getAllByTestId('customer-row')[0]!);
    fireEvent.input(screen.getByTestId('batch-owner'), { target: { value: '小王' } });
    fireEvent.click(screen.getByTestId('batch-apply-owner'));
    expect(await screen.findByText('outbox full')).toBeTruthy();
  });
});
