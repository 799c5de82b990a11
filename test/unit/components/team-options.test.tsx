// @vitest-environment happy-dom
// The options' side of a team on one CRM (issue 15): 团队同步 (how often the CRMs are read back,
// the 方案B temporary code), the connection's conflict rule, connection states in the sidebar's
// words; and one sync state reading the same in the sidebar and on the sync-health page.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Options, type OptionsActions, type OptionsProps } from '../../../components/options/Options';
import { ConnectionForm } from '../../../components/options/ConnectionForm';
import { ConnectionsSection, type ConnectionHealth, type ConnectionsActions } from '../../../components/options/ConnectionsSection';
import { Sidebar } from '../../../components/sidebar/Sidebar';
import { SyncBadge } from '../../../components/sidebar/badges';
import { EntryRow } from '../../../components/sync-health/EntryRow';
import { SyncHealthPage } from '../../../components/sync-health/SyncHealthPage';
import { nocodbSpec } from '../../../lib/crm/nocodb/spec';
import type { CrmSpec } from '../../../lib/crm/spec';
import type { ConnectionDraft, ConnectionView } from '../../../lib/connections/views';
import { createT } from '../../../lib/i18n';
import { createPageT } from '../../../lib/i18n/pages';
import { settingsSchema, type Settings } from '../../../lib/model';
import { formatCustomerCode } from '../../../lib/crm/local/code-format';
import { NOW, knownView, settings } from './fixtures';

afterEach(cleanup);

const input = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } });

function renderOptions(over: Partial<OptionsProps> = {}, locale: 'zh_CN' | 'en' = 'zh_CN') {
  const actions: OptionsActions = { save: vi.fn(async () => undefined), exportData: vi.fn(async () => ({ json: '{}', counts: {} })), importData: vi.fn(async () => ({})) };
  const props: OptionsProps = { t: createPageT(locale), settings: settings(), actions, onDownload: vi.fn(), now: NOW, ...over };
  return { ...render(<Options {...props} />), props };
}

describe('Options: 团队同步', () => {
  it('shows the read-back interval and the temporary code format with its seed-003 explanation and a preview', () => {
    renderOptions();
    const section = document.getElementById('lzo-team')!;
    expect(within(section).getByLabelText('从 CRM 读取间隔（分钟）')).toBe(screen.getByTestId('pull-minutes'));
    expect((screen.getByTestId('pull-minutes') as HTMLInputElement).value).toBe('5');
    expect(within(section).getByLabelText('临时客户编号格式')).toBe(screen.getByTestId('temp-code-format'));
    expect((screen.getByTestId('temp-code-format') as HTMLInputElement).value).toBe('WX{YYYY}{MM}{DD}{device}{seq:3}');
    expect(section.textContent).toContain('方案B');
    expect(screen.getByTestId('temp-code-preview').textContent).toBe('WX20261121K7Q001');
    input(screen.getByTestId('temp-code-format'), 'T{YY}{MM}{DD}-{seq:2}');
    expect(screen.getByTestId('temp-code-preview').textContent).toBe(formatCustomerCode('T{YY}{MM}{DD}-{seq:2}', new Date(NOW), 1));
  });

  it('saves both, valid by the settings schema', async () => {
    const { props } = renderOptions();
    input(screen.getByTestId('pull-minutes'), '15');
    input(screen.getByTestId('temp-code-format'), ' KHT{YYYY}{seq:4} ');
    fireEvent.click(screen.getByTestId('save-settings'));
    await waitFor(() => expect(props.actions.save).toHaveBeenCalledTimes(1));
    const saved = (props.actions.save as ReturnType<typeof vi.fn>).mock.calls[0]![0] as Settings;
    expect(saved.pullMinutes).toBe(15);
    expect(saved.tempCodeFormat).toBe('KHT{YYYY}{seq:4}');
    expect(settingsSchema.safeParse(saved).success).toBe(true);
  });

  it.each([
    ['0', '请输入 1 到 1440 之间的整数'],
    ['1441', '请输入 1 到 1440 之间的整数'],
    ['2.5', '请输入 1 到 1440 之间的整数'],
    ['', '请输入 1 到 1440 之间的整数'],
  ])('refuses an interval of "%s"', async (value, message) => {
    const { props } = renderOptions();
    input(screen.getByTestId('pull-minutes'), value);
    fireEvent.click(screen.getByTestId('save-settings'));
    await waitFor(() => expect(document.getElementById('lzo-team')!.textContent).toContain(message));
    expect(props.actions.save).not.toHaveBeenCalled();
  });

  it('refuses a temporary code format without {seq}, at once', () => {
    const { props } = renderOptions();
    input(screen.getByTestId('temp-code-format'), 'WX{YYYY}');
    expect(document.getElementById('lzo-team')!.textContent).toContain('格式必须包含 {seq} 或 {seq:N}');
    expect(screen.queryByTestId('temp-code-preview')).toBeNull();
    fireEvent.click(screen.getByTestId('save-settings'));
    expect(props.actions.save).not.toHaveBeenCalled();
  });

  it('a save refused by the background says why in the UI language', async () => {
    renderOptions({ actions: { save: vi.fn(async () => Promise.reject(new Error('设置无效 / invalid settings:\n✖ pullMinutes'))), exportData: vi.fn(), importData: vi.fn() } as unknown as OptionsActions });
    fireEvent.click(screen.getByTestId('save-settings'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('设置无效'));
  });
});

const existing = (settings: Record<string, unknown> = {}): ConnectionView => ({
  id: 'noco',
  kind: 'nocodb',
  name: 'NocoDB',
  enabled: true,
  settings: { host: 'http://127.0.0.1:8080', base_id: 'p1', codeMaster: true, ...settings },
  storedSecrets: ['api_token'],
  createdAt: 0,
});

describe('ConnectionForm: the conflict rule', () => {
  const formActions = () => ({ save: vi.fn(async (_d: ConnectionDraft) => undefined), test: vi.fn(async (_d: ConnectionDraft) => ({})) });

  it('offers 以 CRM 为准（默认）/ 以本机为准 beside the code-master checkbox, and saves the choice in settings.conflictRule', async () => {
    const actions = formActions();
    render(<ConnectionForm t={createPageT('zh_CN')} spec={nocodbSpec as CrmSpec} existing={existing()} actions={actions} onDone={() => undefined} />);
    const select = screen.getByTestId('conn-conflict-rule') as HTMLSelectElement;
    expect(select.value).toBe('remote');
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['remote', '以 CRM 为准（默认）'],
      ['local', '以本机为准'],
    ]);
    expect(screen.getByLabelText('同一字段两边都改了')).toBe(select);
    expect(screen.getByTestId('conn-code-master')).toBeTruthy();
    fireEvent.change(select, { target: { value: 'local' } });
    fireEvent.click(screen.getByTestId('conn-save'));
    await waitFor(() => expect(actions.save).toHaveBeenCalledTimes(1));
    const draft = actions.save.mock.calls[0]![0];
    expect(draft.settings).toMatchObject({ conflictRule: 'local', codeMaster: true, host: 'http://127.0.0.1:8080', base_id: 'p1' });
  });

  it('shows a saved rule, and a new connection starts with the CRM winning', async () => {
    render(<ConnectionForm t={createPageT('en')} spec={nocodbSpec as CrmSpec} existing={existing({ conflictRule: 'local' })} actions={formActions()} onDone={() => undefined} />);
    expect((screen.getByTestId('conn-conflict-rule') as HTMLSelectElement).value).toBe('local');
    expect(screen.getByTestId('conn-conflict-rule').textContent).toContain('The CRM wins (default)');
    cleanup();
    const actions = formActions();
    render(<ConnectionForm t={createPageT('zh_CN')} spec={nocodbSpec as CrmSpec} actions={actions} onDone={() => undefined} />);
    fireEvent.click(screen.getByTestId('conn-test'));
    await waitFor(() => expect(actions.test).toHaveBeenCalledTimes(1));
    expect(actions.test.mock.calls[0]![0].settings.conflictRule).toBe('remote');
  });
});

function connections(health: ConnectionHealth, locale: 'zh_CN' | 'en' = 'zh_CN') {
  const actions: ConnectionsActions = {
    prepare: vi.fn(async () => ({ created: [], problems: [], usable: true })),
    setEnabled: vi.fn(async () => undefined),
    remove: vi.fn(async () => undefined),
    retryAll: vi.fn(async () => undefined),
    save: vi.fn(async () => undefined),
    test: vi.fn(async () => ({})),
  };
  render(<ConnectionsSection t={createPageT(locale)} specs={[]} connections={[existing()]} health={{ noco: health }} actions={actions} now={NOW} />);
}

describe('ConnectionsSection: the same words as the sidebar', () => {
  it.each([
    [{ queued: 2, failed: 0 }, 'pending'],
    [{ queued: 0, failed: 1 }, 'failed'],
  ] as const)('%o reads as the sidebar’s badge for %s', (h, state) => {
    render(<SyncBadge t={createT('zh_CN')} state={state} />);
    const badge = document.body.textContent;
    cleanup();
    connections(h);
    expect(screen.getByTestId('conn-state').textContent).toBe(badge);
    expect(badge).toBe(state === 'pending' ? '待同步' : '同步失败');
  });

  it('the last error in the UI language; when the CRM was last read, once the background says', () => {
    connections({ queued: 0, failed: 1, lastError: 'auth: NocoDB: the API token is missing', lastPullAt: NOW - 5 * 60_000, lastPullError: 'rate-limited: HTTP 429' });
    const line = screen.getByTestId('connection-health').textContent!;
    expect(line).toContain('凭证无效、已过期或权限不足，请重新连接');
    expect(line).not.toContain('API token');
    expect(screen.getByTestId('conn-last-pull').textContent).toBe(' · 上次从 CRM 读取 5分钟前');
    expect(screen.getByTestId('conn-pull-error').textContent).toBe(' · 请求过于频繁，已暂停，稍后自动重试');
    cleanup();
    connections({ queued: 0, failed: 0 });
    expect(screen.queryByTestId('conn-last-pull')).toBeNull();
  });
});

describe('one sync state, the same reason in the sidebar and on the sync-health page', () => {
  it.each([
    ['validation: NocoDB: "客户阶段" does not offer that value; allowed: 新客户, 已联系', 'zh_CN'],
    ['auth: NocoDB: the API token is missing', 'zh_CN'],
    ['not-found: 智邦ERP 中已找不到该客户 / 智邦ERP no longer has this customer', 'zh_CN'],
    ['not-found: 智邦ERP 中已找不到该客户 / 智邦ERP no longer has this customer', 'en'],
    ['retryable: HTTP 503 (gave up after 8 attempts)', 'en'],
  ] as const)('%s (%s)', (lastError, locale) => {
    render(
      <Sidebar
        t={createT(locale)}
        view={knownView({ links: [{ connectionId: 'noco', connectionName: 'NocoDB', kind: 'nocodb', syncState: 'failed', lastError, remoteId: '3' }] })}
        collapsed={false}
        onToggle={() => undefined}
        now={NOW}
        actions={{ create: vi.fn(), search: vi.fn(), link: vi.fn(), unlink: vi.fn(), update: vi.fn(), logFollowUp: vi.fn(), reminderDone: vi.fn(), snooze: vi.fn(), openOptions: vi.fn() }}
      />,
    );
    const row = screen.getByTestId('sync-state');
    const sidebarWords = { state: row.querySelector('.lz-badge')!.textContent, reason: within(row).getByTestId('sync-error').textContent };
    cleanup();
    render(
      <ul>
        <EntryRow
          t={createPageT(locale)}
          now={NOW}
          entry={{ id: 'e1', op: 'customer.update', state: 'failed', attempts: 3, createdAt: NOW - 60_000, nextAttemptAt: NOW, failedAt: NOW - 1000, lastError, customer: { id: 'c1', name: '王小明', code: 'KH2026-0007' } }}
          actions={{ retryEntry: vi.fn(), discardEntry: vi.fn() }}
        />
      </ul>,
    );
    const reason = screen.queryByTestId('health-entry-reason')?.textContent ?? screen.getByTestId('health-entry-error').textContent;
    expect(reason).toBe(sidebarWords.reason);
    // The technical text stays on the health page, for a bug report.
    expect(screen.getByTestId('health-entry-error').textContent).toBe(lastError);
    cleanup();
    // The page lists that entry under the sidebar's word for its state.
    const health = { connectionId: 'noco', name: 'NocoDB', kind: 'nocodb', enabled: true, queued: 1, inflight: 0, failed: 1, failures: [{ reason: lastError, count: 1 }], breaker: { state: 'closed' as const } };
    const entry = (state: 'failed' | 'pending') => ({ id: state, op: 'customer.update' as const, state, attempts: 1, createdAt: NOW, nextAttemptAt: NOW + 60_000, lastError });
    render(<SyncHealthPage t={createPageT(locale)} now={NOW} view={{ health, entries: [entry('failed'), entry('pending')], total: { queued: 1, inflight: 0, failed: 1 } }} actions={{ retryAll: vi.fn(), retryEntry: vi.fn(), discardEntry: vi.fn() }} />);
    expect(screen.getByTestId('health-failed-title').textContent).toBe(sidebarWords.state);
    render(<SyncBadge t={createT(locale)} state="pending" />);
    expect(screen.getByTestId('health-queued-title').textContent).toBe(document.querySelector('.lz-badge')!.textContent);
    expect(screen.queryByTestId('health-reason-text')?.textContent ?? screen.getByTestId('health-reason').querySelector('code')!.textContent).toBe(sidebarWords.reason);
  });
});

describe('sync-health page: when the CRM was last read', () => {
  const base = { connectionId: 'noco', name: 'NocoDB', kind: 'nocodb', enabled: true, queued: 0, inflight: 0, failed: 0, failures: [], breaker: { state: 'closed' as const } };
  const page = (health: typeof base) =>
    render(<SyncHealthPage t={createPageT('zh_CN')} now={NOW} view={{ health, entries: [], total: { queued: 0, inflight: 0, failed: 0 } }} actions={{ retryAll: vi.fn(), retryEntry: vi.fn(), discardEntry: vi.fn() }} />);

  it('says nothing while the background does not report it', () => {
    page(base);
    expect(screen.queryByTestId('health-last-pull')).toBeNull();
  });

  it('shows it, with the last pull error in the UI language, once the health carries it', () => {
    page({ ...base, lastPullAt: NOW - 2 * 60_000, lastPullError: 'rate-limited: HTTP 429' } as typeof base);
    expect(screen.getByTestId('health-last-pull').textContent).toBe('上次从 CRM 读取 2分钟前 · 请求过于频繁，已暂停，稍后自动重试');
  });
});
