// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncHealthPage, type SyncHealthActions, type SyncHealthPageProps } from '../../../components/sync-health/SyncHealthPage';
import { SyncHealthList } from '../../../components/sync-health/SyncHealthList';
import { ConnectionsSection } from '../../../components/options/ConnectionsSection';
import { createPageT } from '../../../lib/i18n/pages';
import type { HealthEntry } from '../../../lib/sync/entries';
import type { ConnectionHealth } from '../../../lib/sync/health';
import type { SyncEntriesView } from '../../../lib/sync/messages';
import type { ConnectionView } from '../../../lib/connections/views';
import { HOUR, NOW } from './fixtures';

afterEach(cleanup);

const MIN = 60_000;
const REASON_A = 'validation: HTTP 422: 客户来源 is required';
const REASON_B = 'retryable: HTTP 503 (gave up after 8 attempts)';

function health(over: Partial<ConnectionHealth> = {}): ConnectionHealth {
  return { connectionId: 'zb', name: '智邦 ERP', kind: 'zhibang', enabled: true, queued: 0, inflight: 0, failed: 0, failures: [], breaker: { state: 'closed' }, ...over };
}

function row(over: Partial<HealthEntry> & Pick<HealthEntry, 'id'>): HealthEntry {
  return { op: 'customer.create', state: 'pending', attempts: 0, createdAt: NOW - HOUR, nextAttemptAt: NOW + 5 * MIN, customer: { id: 'c1', name: '王小明', code: 'KH2026-0007' }, ...over };
}

const sample = (): SyncEntriesView => ({
  health: health({
    queued: 1,
    inflight: 1,
    failed: 3,
    failures: [
      { reason: REASON_A, count: 2 },
      { reason: REASON_B, count: 1 },
    ],
    lastSuccessAt: NOW - 3 * HOUR,
    lastFailureAt: NOW - 2 * MIN,
    lastError: REASON_A,
  }),
  entries: [
    row({ id: 'f1', op: 'customer.create', state: 'failed', attempts: 1, failedAt: NOW - 2 * MIN, lastError: REASON_A }),
    row({ id: 'f2', op: 'followUp.create', state: 'failed', attempts: 1, failedAt: NOW - 10 * MIN, lastError: REASON_A, customer: { id: 'c2', name: '李雷', code: 'KH2026-0008' } }),
    row({ id: 'f3', op: 'deal.create', state: 'failed', attempts: 8, failedAt: NOW - HOUR, lastError: REASON_B }),
    row({ id: 'i1', op: 'task.create', state: 'inflight', nextAttemptAt: NOW + MIN }),
    row({ id: 'p1', op: 'customer.update', state: 'pending', attempts: 2, nextAttemptAt: NOW + 5 * MIN, lastError: 'retryable: HTTP 503', reconcile: true }),
  ],
  total: { queued: 1, inflight: 1, failed: 3 },
});

function actions(): SyncHealthActions {
  return { retryAll: vi.fn(async () => undefined), retryEntry: vi.fn(async () => undefined), discardEntry: vi.fn(async () => undefined) };
}

function renderPage(over: Partial<SyncHealthPageProps> = {}) {
  const props: SyncHealthPageProps = { t: createPageT('zh_CN'), now: NOW, view: sample(), kindName: '智邦ERP', actions: actions(), ...over };
  return { ...render(<SyncHealthPage {...props} />), props };
}

const entry = (id: string) => screen.getAllByTestId('health-entry').find((el) => el.dataset.entryId === id)!;

describe('SyncHealthPage', () => {
  it('shows the connection, its counts, last success and failure', () => {
    renderPage();
    const page = screen.getByTestId('health-page');
    expect(page.textContent).toContain('智邦 ERP');
    expect(page.textContent).toContain('智邦ERP');
    expect(screen.getByTestId('health-enabled').textContent).toBe('同步已开启');
    expect(screen.getByTestId('health-queued').textContent).toBe('1');
    expect(screen.getByTestId('health-inflight').textContent).toBe('1');
    expect(screen.getByTestId('health-failed').textContent).toBe('3');
    expect(screen.getByTestId('health-last-success').textContent).toBe('最近成功：3小时前');
    expect(screen.getByTestId('health-last-failure').textContent).toContain(REASON_A);
    expect(screen.queryByTestId('health-empty')).toBeNull();
    expect(screen.queryByTestId('health-holds')).toBeNull();
  });

  it('groups failures by reason with their counts', () => {
    renderPage();
    const reasons = screen.getAllByTestId('health-reason');
    expect(reasons.map((r) => [r.querySelector('code')!.textContent, r.dataset.count])).toEqual([
      [REASON_A, '2'],
      [REASON_B, '1'],
    ]);
    expect(reasons[0]!.textContent).toContain('2 条');
  });

  it('lists each entry with its operation, customer, attempts, error and time', () => {
    renderPage();
    expect(screen.getAllByTestId('health-entry').map((el) => [el.dataset.entryId, el.dataset.state, el.dataset.op])).toEqual([
      ['f1', 'failed', 'customer.create'],
      ['f2', 'failed', 'followUp.create'],
      ['f3', 'failed', 'deal.create'],
      ['i1', 'inflight', 'task.create'],
      ['p1', 'pending', 'customer.update'],
    ]);
    const f2 = entry('f2');
    expect(f2.textContent).toContain('跟进记录');
    expect(within(f2).getByTestId('health-entry-customer').textContent).toBe('李雷 KH2026-0008');
    expect(f2.textContent).toContain('已尝试 1 次');
    expect(f2.textContent).toContain('10分钟前失败');
    expect(within(f2).getByTestId('health-entry-error').textContent).toBe(REASON_A);
    expect(entry('f3').textContent).toContain('成交');
    expect(entry('i1').textContent).toContain('任务');
    expect(entry('i1').textContent).toContain('正在发送');
    const p1 = entry('p1');
    expect(p1.textContent).toContain('更新客户');
    expect(p1.textContent).toContain('5分钟后重试');
    expect(p1.textContent).toContain('会先在 CRM 中核对');
    // In flight: nothing to do.
    expect(within(entry('i1')).queryByTestId('health-entry-retry')).toBeNull();
    // Waiting: retry, never discard.
    expect(within(p1).getByTestId('health-entry-retry')).toBeTruthy();
    expect(within(p1).queryByTestId('health-entry-discard')).toBeNull();
  });

  it('says when a record is gone', () => {
    const view = sample();
    const { customer: _c, ...noCustomer } = row({ id: 'x', state: 'failed', failedAt: NOW });
    view.entries = [noCustomer];
    renderPage({ view });
    expect(within(entry('x')).getByTestId('health-entry-customer').textContent).toBe('（记录已删除）');
  });

  it('retries all, one entry, and discards one after confirming, with the right ids', async () => {
    const { props } = renderPage();
    fireEvent.click(screen.getByTestId('health-retry-all'));
    await waitFor(() => expect(props.actions.retryAll).toHaveBeenCalledWith('zb'));

    fireEvent.click(within(entry('f2')).getByTestId('health-entry-retry'));
    await waitFor(() => expect(props.actions.retryEntry).toHaveBeenCalledWith('f2'));
    fireEvent.click(within(entry('p1')).getByTestId('health-entry-retry'));
    await waitFor(() => expect(props.actions.retryEntry).toHaveBeenLastCalledWith('p1'));

    fireEvent.click(within(entry('f3')).getByTestId('health-entry-discard'));
    expect(props.actions.discardEntry).not.toHaveBeenCalled();
    fireEvent.click(within(entry('f3')).getByTestId('health-entry-discard-confirm'));
    await waitFor(() => expect(props.actions.discardEntry).toHaveBeenCalledWith('f3'));
    expect(props.actions.discardEntry).toHaveBeenCalledTimes(1);
  });

  it('shows an action that failed beside its entry', async () => {
    const a = actions();
    a.retryEntry = vi.fn(async () => {
      throw new Error('this sync entry is inflight now');
    });
    renderPage({ actions: a });
    fireEvent.click(within(entry('f1')).getByTestId('health-entry-retry'));
    expect((await within(entry('f1')).findByRole('alert')).textContent).toBe('this sync entry is inflight now');
  });

  it('says all is synced when nothing waits or failed', () => {
    renderPage({ view: { health: health({ lastSuccessAt: NOW - MIN }), entries: [], total: { queued: 0, inflight: 0, failed: 0 } }, t: createPageT('en') });
    expect(screen.getByTestId('health-empty').textContent).toBe('All good: everything is synced');
    expect(screen.queryByTestId('health-retry-all')).toBeNull();
    expect(screen.queryByTestId('health-entry')).toBeNull();
    expect(screen.getByTestId('health-last-success').textContent).toBe('Last success: 1 minute ago');
  });

  it('adds a "+N more" line when the lists were capped', () => {
    const view = sample();
    view.total = { queued: 250, inflight: 1, failed: 3 };
    renderPage({ view });
    // 251 waiting, 2 shown.
    expect(screen.getByTestId('health-more-queued').textContent).toBe('还有 249 条未显示');
    expect(screen.queryByTestId('health-more-failed')).toBeNull();
    renderPage({ view, t: createPageT('en') });
    expect(screen.getAllByTestId('health-more-queued')[1]!.textContent).toBe('+249 more');
  });

  it('explains what holds the connection: auth pause (reconnect), breaker, rate limit, paused by the user', () => {
    const view = sample();
    view.health = health({ enabled: false, paused: 'auth', breaker: { state: 'open', nextProbeAt: NOW + 2 * MIN }, blockedUntil: NOW + 30 * MIN });
    renderPage({ view, reconnectHref: 'options.html#lzo-connections' });
    expect(screen.getByTestId('health-enabled').dataset.enabled).toBe('false');
    expect(screen.getByTestId('health-hold-auth').textContent).toContain('CRM 拒绝了凭据');
    expect(screen.getByTestId('health-reconnect').getAttribute('href')).toBe('options.html#lzo-connections');
    expect(screen.getByTestId('health-reconnect').textContent).toBe('重新连接');
    expect(screen.getByTestId('health-hold-breaker').textContent).toBe('CRM 暂时无法连接，2分钟后再试');
    expect(screen.getByTestId('health-hold-blocked').textContent).toBe('CRM 限流中，30分钟后恢复发送');
    expect(screen.getByTestId('health-last-success').textContent).toBe('还没有成功同步过');
  });

  it('shows loading and load errors before there is a view', () => {
    renderPage({ view: null });
    expect(screen.getByTestId('health-loading').textContent).toBe('加载中…');
    cleanup();
    renderPage({ view: null, error: 'no such CRM connection: zb', listHref: 'sync-health.html' });
    expect(screen.getByRole('alert').textContent).toBe('no such CRM connection: zb');
    expect(screen.getByTestId('health-back').getAttribute('href')).toBe('sync-health.html');
  });
});

describe('SyncHealthList', () => {
  it('links every connection to its page', () => {
    render(
      <SyncHealthList
        t={createPageT('zh_CN')}
        now={NOW}
        connections={[
          { id: 'zb', name: '智邦 ERP', kindName: '智邦ERP', enabled: true, queued: 2, failed: 1, lastSuccessAt: NOW - HOUR },
          { id: 'fs', name: '飞书', kindName: '飞书多维表格', enabled: false, queued: 0, failed: 0 },
        ]}
        hrefFor={(id) => `sync-health.html?connection=${id}`}
      />,
    );
    const items = screen.getAllByTestId('health-list-item');
    expect(items.map((el) => el.querySelector('a')!.getAttribute('href'))).toEqual(['sync-health.html?connection=zb', 'sync-health.html?connection=fs']);
    expect(items[0]!.textContent).toContain('待同步 2 · 失败 1');
    expect(items[0]!.textContent).toContain('最近成功：1小时前');
    expect(items[1]!.textContent).toContain('已暂停');
  });

  it('says when there are no connections', () => {
    render(<SyncHealthList t={createPageT('en')} now={NOW} connections={[]} hrefFor={() => ''} />);
    expect(screen.getByTestId('health-list-empty').textContent).toContain('No CRM connections yet');
  });
});

describe('ConnectionsSection: 同步详情', () => {
  it('links a remote connection to its sync-health page in a new tab', () => {
    const view = (id: string, kind: string): ConnectionView => ({ id, kind, name: id, enabled: true, settings: {}, storedSecrets: [], createdAt: 0 });
    const noop = vi.fn(async () => undefined);
    render(
      <ConnectionsSection
        t={createPageT('zh_CN')}
        specs={[]}
        connections={[view('local', 'local'), view('zb', 'zhibang')]}
        health={{ local: { queued: 0, failed: 0 }, zb: { queued: 1, failed: 2 } }}
        actions={{ prepare: vi.fn(async () => ({ created: [], problems: [], usable: true })), setEnabled: noop, remove: noop, retryAll: noop, save: noop, test: vi.fn(async () => ({})) }}
        healthHref={(id) => `chrome-extension://x/sync-health.html?connection=${id}`}
      />,
    );
    const links = screen.getAllByTestId('conn-health-open');
    expect(links).toHaveLength(1);
    expect(links[0]!.getAttribute('href')).toBe('chrome-extension://x/sync-health.html?connection=zb');
    expect(links[0]!.getAttribute('target')).toBe('_blank');
    expect(links[0]!.textContent).toBe('同步详情');
  });
});
