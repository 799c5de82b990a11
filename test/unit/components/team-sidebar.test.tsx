// @vitest-environment happy-dom
// The sidebar's side of a team on one CRM (issue 15): CRM candidates for an unknown contact,
// the card's temporary code, reading back (上次读取 / 刷新), warnings, conflicts, colleagues'
// follow-ups and deals with their source, and the 下次跟进 set in a CRM.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Sidebar, type SidebarActions, type SidebarProps } from '../../../components/sidebar/Sidebar';
import { REMOTE_DEBOUNCE_MS, type RemoteSearchResult } from '../../../components/sidebar/RemoteCandidates';
import { createT } from '../../../lib/i18n';
import type { CustomerView, LinkView, RemoteCandidate } from '../../../lib/model';
import { AUTH_PAUSE_MESSAGE } from '../../../lib/sync/gate';
import { DAY, HOSTILE, HOUR, NOW, customer, deferred, followUp, knownView, reminder, unknownView } from './fixtures';

afterEach(cleanup);

function actions(over: Partial<SidebarActions> = {}): SidebarActions {
  return {
    create: vi.fn(async () => undefined),
    search: vi.fn(async () => []),
    link: vi.fn(async () => undefined),
    unlink: vi.fn(async () => undefined),
    update: vi.fn(async () => undefined),
    logFollowUp: vi.fn(async () => undefined),
    reminderDone: vi.fn(async () => undefined),
    snooze: vi.fn(async () => undefined),
    openOptions: vi.fn(),
    ...over,
  };
}

function renderSidebar(view: CustomerView | null, over: Partial<SidebarProps> = {}, locale: 'zh_CN' | 'en' = 'zh_CN') {
  const props: SidebarProps = { t: createT(locale), view, collapsed: false, onToggle: vi.fn(), actions: actions(), now: NOW, ...over };
  const r = render(<Sidebar {...props} />);
  return { ...r, props };
}

const flat = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

const zhibang = (over: Partial<RemoteCandidate> = {}): RemoteCandidate => ({
  connectionId: 'zb',
  connectionName: '智邦ERP',
  kind: 'zhibang',
  remoteId: '88',
  remoteCode: 'KH2025001',
  name: '张伟',
  phones: ['+8613911112222'],
  matchedBy: ['phone'],
  grade: '重点客户',
  ...over,
});

describe('Unknown contact: found in the CRM', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** The debounce, then the answer. */
  async function settle() {
    await act(async () => {
      vi.advanceTimersByTime(REMOTE_DEBOUNCE_MS);
    });
    await act(async () => {
      await Promise.resolve();
    });
  }

  it('says where it is searching, waits for the conversation to settle, then shows each match as one line with 关联', async () => {
    const answer = deferred<RemoteSearchResult>();
    const findRemote = vi.fn(() => answer.promise);
    const linkRemote = vi.fn(async () => undefined);
    renderSidebar(unknownView(), { actions: actions({ findRemote, linkRemote }), remoteNames: ['智邦ERP', 'NocoDB'] });
    const searching = screen.getAllByTestId('remote-candidates-status');
    expect(searching.map((s) => [s.dataset.state, flat(s)])).toEqual([
      ['searching', '正在 智邦ERP 中查找…'],
      ['searching', '正在 NocoDB 中查找…'],
    ]);
    // Debounced: nothing is asked before the conversation has been still for REMOTE_DEBOUNCE_MS.
    await act(async () => {
      vi.advanceTimersByTime(REMOTE_DEBOUNCE_MS - 1);
    });
    expect(findRemote).not.toHaveBeenCalled();
    await act(async () => {
      vi.advanceTimersByTime(1);
    });
    expect(findRemote).toHaveBeenCalledTimes(1);
    await act(async () => {
      answer.resolve({
        candidates: [zhibang()],
        searched: [
          { connectionId: 'zb', connectionName: '智邦ERP', ok: true },
          { connectionId: 'noco', connectionName: 'NocoDB', ok: true },
        ],
      });
      await answer.promise;
    });
    const line = screen.getByTestId('remote-candidate');
    expect(line.dataset.connection).toBe('zb');
    expect(line.dataset.remoteId).toBe('88');
    expect(flat(within(line).getByTestId('remote-candidate-text'))).toBe('在 智邦ERP 中找到：KH2025001 张伟 · 重点客户');
    expect(screen.getAllByTestId('remote-candidates-status').map((s) => [s.dataset.state, flat(s)])).toEqual([['none', 'NocoDB 中没有这个联系人']]);
    // The local create form is still there: a CRM match never blocks creating.
    expect(screen.getByTestId('create-customer')).toBeTruthy();
    vi.useRealTimers();
    fireEvent.click(within(line).getByTestId('remote-candidate-link'));
    await waitFor(() => expect(linkRemote).toHaveBeenCalledTimes(1));
    expect(linkRemote).toHaveBeenCalledWith(zhibang());
  });

  it('shows several matches, none picked, with stage, grade and owner; one already linked here says so', async () => {
    const findRemote = vi.fn(async (): Promise<RemoteSearchResult> => ({
      candidates: [
        zhibang({ stage: '跟进中', owner: '李娜' }),
        zhibang({ remoteId: '91', remoteCode: 'KH2025007', name: '张伟（深圳）', grade: undefined, localCustomerId: 'c7' }),
        { ...zhibang({ connectionId: 'noco', connectionName: 'NocoDB', kind: 'nocodb', remoteId: '3', remoteCode: 'KH000003', grade: undefined }) },
      ],
      searched: [
        { connectionId: 'zb', connectionName: '智邦ERP', ok: true },
        { connectionId: 'noco', connectionName: 'NocoDB', ok: true },
      ],
    }));
    renderSidebar(unknownView(), { actions: actions({ findRemote, linkRemote: vi.fn(async () => undefined) }) });
    await settle();
    const lines = screen.getAllByTestId('remote-candidate');
    expect(lines.map((l) => flat(within(l).getByTestId('remote-candidate-text')))).toEqual([
      '在 智邦ERP 中找到：KH2025001 张伟 · 跟进中 · 重点客户 · 李娜',
      '在 智邦ERP 中找到：KH2025007 张伟（深圳）',
      '在 NocoDB 中找到：KH000003 张伟',
    ]);
    expect(screen.getByTestId('remote-several').textContent).toBe('找到 3 位，请确认是哪一位再关联');
    expect(lines.map((l) => l.dataset.localCustomer ?? null)).toEqual([null, 'c7', null]);
    expect(within(lines[1]!).getByTestId('remote-candidate-local').textContent).toContain('本机已有这位客户');
    // No status line for a CRM that found someone.
    expect(screen.queryAllByTestId('remote-candidates-status')).toHaveLength(0);
  });

  it('a CRM whose search failed says so in the UI language and blocks nothing', async () => {
    const findRemote = vi.fn(async (): Promise<RemoteSearchResult> => ({
      candidates: [zhibang()],
      searched: [
        { connectionId: 'zb', connectionName: '智邦ERP', ok: true },
        { connectionId: 'noco', connectionName: 'NocoDB', ok: false, error: 'auth: NocoDB: the API token is missing' },
      ],
    }));
    renderSidebar(unknownView(), { actions: actions({ findRemote, linkRemote: vi.fn(async () => undefined) }) });
    await settle();
    const failed = screen.getAllByTestId('remote-candidates-status').find((s) => s.dataset.state === 'failed')!;
    expect(flat(failed)).toBe('在 NocoDB 中查找失败：凭证无效、已过期或权限不足，请重新连接');
    expect(failed.getAttribute('title')).toBe('auth: NocoDB: the API token is missing');
    expect(screen.getAllByTestId('remote-candidate')).toHaveLength(1);
    expect((screen.getByTestId('create-submit') as HTMLButtonElement).disabled).toBe(false);
  });

  it('the same failure reads in English in an English UI', async () => {
    const findRemote = vi.fn(async (): Promise<RemoteSearchResult> => ({
      candidates: [],
      searched: [{ connectionId: 'noco', connectionName: 'NocoDB', ok: false, error: 'not-found: NocoDB 中已找不到该客户 / NocoDB no longer has this customer' }],
    }));
    renderSidebar(unknownView(), { actions: actions({ findRemote, linkRemote: vi.fn(async () => undefined) }), remoteNames: ['NocoDB'] }, 'en');
    expect(flat(screen.getByTestId('remote-candidates-status'))).toBe('Searching NocoDB…');
    await settle();
    expect(flat(screen.getByTestId('remote-candidates-status'))).toBe('Could not search NocoDB: not-found: NocoDB no longer has this customer');
  });

  it('a failed request (the background unreachable) is one status line; no CRM connected shows nothing; no phone or email asks nothing', async () => {
    const findRemote = vi.fn(async (): Promise<RemoteSearchResult> => {
      throw new Error('与后台通信失败 / could not reach the background');
    });
    renderSidebar(unknownView(), { actions: actions({ findRemote, linkRemote: vi.fn(async () => undefined) }) });
    await settle();
    expect(flat(screen.getByTestId('remote-candidates-status'))).toBe('在 CRM 中查找失败：与后台通信失败');
    cleanup();

    const none = vi.fn(async (): Promise<RemoteSearchResult> => ({ candidates: [], searched: [] }));
    renderSidebar(unknownView(), { actions: actions({ findRemote: none, linkRemote: vi.fn(async () => undefined) }) });
    await settle();
    expect(none).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('remote-candidates')).toBeNull();
    cleanup();

    const never = vi.fn(async (): Promise<RemoteSearchResult> => ({ candidates: [], searched: [] }));
    renderSidebar(unknownView({ identity: { displayName: '某人', phones: [], emails: [], isGroup: false } }), { actions: actions({ findRemote: never, linkRemote: vi.fn(async () => undefined) }) });
    await settle();
    renderSidebar(unknownView(), { actions: actions({ findRemote: never, linkRemote: vi.fn(async () => undefined) }), remoteNames: [] });
    await settle();
    expect(never).not.toHaveBeenCalled();
    expect(screen.queryByTestId('remote-candidates')).toBeNull();
  });

  it('a link that fails keeps the line and says why, in the UI language', async () => {
    const findRemote = vi.fn(async (): Promise<RemoteSearchResult> => ({ candidates: [zhibang()], searched: [{ connectionId: 'zb', connectionName: '智邦ERP', ok: true }] }));
    const linkRemote = vi.fn(async () => {
      throw new Error('智邦ERP 中已找不到该客户 / 智邦ERP no longer has this customer');
    });
    renderSidebar(unknownView(), { actions: actions({ findRemote, linkRemote }) });
    await settle();
    vi.useRealTimers();
    fireEvent.click(screen.getByTestId('remote-candidate-link'));
    await waitFor(() => expect(within(screen.getByTestId('remote-candidate')).getByTestId('error').textContent).toBe('智邦ERP 中已找不到该客户'));
  });

  it('names and values from a CRM stay text', async () => {
    const findRemote = vi.fn(async (): Promise<RemoteSearchResult> => ({
      candidates: [zhibang({ connectionName: HOSTILE, name: HOSTILE, remoteCode: HOSTILE, stage: HOSTILE, grade: HOSTILE, owner: HOSTILE, company: HOSTILE })],
      searched: [{ connectionId: 'x', connectionName: HOSTILE, ok: false, error: HOSTILE }],
    }));
    const { container } = renderSidebar(unknownView(), { actions: actions({ findRemote, linkRemote: vi.fn(async () => undefined) }), remoteNames: [HOSTILE] });
    await settle();
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('remote-candidate-text').textContent).toContain(HOSTILE);
    expect(screen.getByTestId('remote-candidates-status').textContent).toContain(HOSTILE);
  });
});

const nocodb = (over: Partial<LinkView> = {}): LinkView => ({
  connectionId: 'noco',
  connectionName: 'NocoDB',
  kind: 'nocodb',
  remoteCode: 'KH000003',
  remoteId: '3',
  syncState: 'synced',
  lastSyncedAt: NOW - HOUR,
  readable: true,
  pulledAt: NOW - 3 * 60_000,
  ...over,
});

describe('Known customer: the team view', () => {
  it('marks a temporary 客户编号 临时, and a real one not', () => {
    renderSidebar(knownView({ customer: customer({ code: 'WX20261205001', codeTemporary: true }) }));
    expect(screen.getByTestId('customer-code').textContent).toBe('WX20261205001');
    expect(screen.getByTestId('code-temporary').textContent).toBe('临时');
    cleanup();
    renderSidebar(knownView());
    expect(screen.queryByTestId('code-temporary')).toBeNull();
  });

  it('a readable CRM row says when it was last read and offers 刷新; the errors it returns are shown in the UI language', async () => {
    const pull = deferred<string[]>();
    const pullNow = vi.fn(() => pull.promise);
    renderSidebar(knownView({ links: [knownView().links[0]!, nocodb(), nocodb({ connectionId: 'sf', connectionName: 'Salesforce', kind: 'salesforce', readable: false, pulledAt: undefined })] }), {
      actions: actions({ pullNow }),
    });
    const rows = screen.getAllByTestId('sync-state');
    const noco = rows.find((r) => r.dataset.connectionId === 'noco')!;
    expect(within(noco).getByTestId('link-pulled-at').textContent).toBe('上次读取 3分钟前');
    // The local CRM and a CRM without a read side: no line, no button.
    for (const id of ['local', 'sf']) {
      const row = rows.find((r) => r.dataset.connectionId === id)!;
      expect(within(row).queryByTestId('link-pulled-at')).toBeNull();
      expect(within(row).queryByTestId('pull-now')).toBeNull();
    }
    fireEvent.click(within(noco).getByTestId('pull-now'));
    expect(pullNow).toHaveBeenCalledTimes(1);
    await waitFor(() => expect((within(noco).getByTestId('pull-now') as HTMLButtonElement).disabled).toBe(true));
    pull.resolve(['NocoDB: auth: NocoDB: the API token is missing']);
    await waitFor(() => expect(within(noco).getByTestId('pull-error').textContent).toBe('NocoDB：凭证无效、已过期或权限不足，请重新连接'));
  });

  it('never read yet: says so', () => {
    renderSidebar(knownView({ links: [nocodb({ pulledAt: undefined })] }), { actions: actions({ pullNow: vi.fn(async () => []) }) });
    expect(screen.getByTestId('link-pulled-at').textContent).toBe('尚未从 CRM 读取');
  });

  it("shows the link's warnings and errors in the UI's language, and the auth pause in the words the sync-health page uses", () => {
    renderSidebar(
      knownView({
        links: [
          nocodb({ warnings: ['客户来源（ly）：智邦ERP中没有「抖音」这一选项，本次未写入 / Customer source: the ERP has no option "抖音"; left out'] }),
          nocodb({ connectionId: 'zb', connectionName: '智邦ERP', syncState: 'failed', lastError: AUTH_PAUSE_MESSAGE }),
          nocodb({ connectionId: 'hs', connectionName: 'HubSpot', syncState: 'pending', lastError: 'rate-limited: HubSpot daily API quota: 250000 used' }),
        ],
      }),
    );
    expect(screen.getByTestId('link-warning').textContent).toBe('注意：客户来源（ly）：智邦ERP中没有「抖音」这一选项，本次未写入');
    const errors = screen.getAllByTestId('sync-error').map((e) => e.textContent);
    expect(errors).toEqual(['CRM 拒绝了凭据，同步已暂停。请重新连接，然后点“重试”。', '请求过于频繁，已暂停，稍后自动重试']);
  });

  it('a conflict the CRM won: what was replaced, 恢复 puts it back, 知道了 keeps the CRM’s', async () => {
    const restoreConflict = vi.fn(async () => undefined);
    const dismissConflict = vi.fn(async () => undefined);
    const at = NOW - 60_000;
    renderSidebar(
      knownView({
        links: [
          nocodb({
            connectionName: '智邦ERP',
            conflicts: [
              { field: 'stage', kept: 'remote', keptValue: '跟进中', replacedValue: '谈判中', at },
              { field: 'nextFollowUpAt', kept: 'local', keptValue: NOW + DAY, replacedValue: NOW + 2 * DAY, at: at - 1 },
            ],
          }),
        ],
      }),
      { actions: actions({ restoreConflict, dismissConflict }) },
    );
    const [stage, next] = screen.getAllByTestId('conflict');
    expect(stage!.dataset.field).toBe('stage');
    expect(flat(within(stage!).getByTestId('conflict-text'))).toBe('智邦ERP 和本机同时修改了「客户阶段」：已采用 CRM 的「跟进中」，替换了本机的「谈判中」');
    expect(flat(within(stage!).getByTestId('conflict-restore'))).toBe('恢复「谈判中」');
    // 下次跟进 as a date and time; kept 'local' phrased the other way round.
    const t = createT('zh_CN');
    expect(next!.dataset.field).toBe('nextFollowUpAt');
    expect(flat(within(next!).getByTestId('conflict-text'))).toBe(
      `智邦ERP 和本机同时修改了「下次跟进」：已保留本机的「${t.formatDateTime(NOW + DAY)}」，替换了 CRM 的「${t.formatDateTime(NOW + 2 * DAY)}」`,
    );
    fireEvent.click(within(stage!).getByTestId('conflict-restore'));
    await waitFor(() => expect(restoreConflict).toHaveBeenCalledWith('noco', 'stage', at));
    fireEvent.click(within(next!).getByTestId('conflict-dismiss'));
    await waitFor(() => expect(dismissConflict).toHaveBeenCalledWith('noco', 'nextFollowUpAt'));
  });

  it('conflict values in English, empties and lists; the code cannot be restored; a failed restore says why', async () => {
    const restoreConflict = vi.fn(async () => {
      throw new Error('没有这条冲突记录 / no such conflict');
    });
    renderSidebar(
      knownView({
        links: [
          nocodb({
            conflicts: [
              { field: 'intentLevel', kept: 'remote', keptValue: '高', replacedValue: null, at: 3 },
              { field: 'tags', kept: 'remote', keptValue: ['老客户', '转介绍'], replacedValue: ['老客户'], at: 2 },
              { field: 'code', kept: 'remote', keptValue: 'KH000003', replacedValue: 'WX20261205001', at: 1 },
            ],
          }),
        ],
      }),
      { actions: actions({ restoreConflict, dismissConflict: vi.fn(async () => undefined) }) },
      'en',
    );
    const [intent, tags, code] = screen.getAllByTestId('conflict');
    expect(flat(within(intent!).getByTestId('conflict-text'))).toBe('NocoDB and this browser both changed “Intent level”: kept the CRM’s “High”, replacing this browser’s “(empty)”');
    expect(flat(within(tags!).getByTestId('conflict-text'))).toContain('kept the CRM’s “老客户, Referral”');
    expect(within(code!).queryByTestId('conflict-restore')).toBeNull();
    expect(within(code!).getByTestId('conflict-dismiss')).toBeTruthy();
    fireEvent.click(within(intent!).getByTestId('conflict-restore'));
    await waitFor(() => expect(within(intent!).getByTestId('error').textContent).toBe('no such conflict'));
  });

  it('conflict values and connection names from a CRM stay text', () => {
    const { container } = renderSidebar(
      knownView({ links: [nocodb({ connectionName: HOSTILE, conflicts: [{ field: 'notes', kept: 'remote', keptValue: HOSTILE, replacedValue: HOSTILE, at: 1 }], warnings: [HOSTILE] })] }),
      { actions: actions({ restoreConflict: vi.fn(async () => undefined), dismissConflict: vi.fn(async () => undefined) }) },
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('conflict-text').textContent).toContain(HOSTILE);
    expect(screen.getByTestId('link-warning').textContent).toBe(`注意：${HOSTILE}`);
  });

  it("a colleague's follow-up shows its author and the CRM it came from; one's own shows no source", () => {
    renderSidebar(
      knownView({
        links: [knownView().links[0]!, nocodb()],
        followUps: [
          followUp({ id: 'r1', origin: 'remote', by: '李娜', source: 'noco', content: '电话沟通，客户在考虑', at: NOW - HOUR }),
          followUp({ id: 'm1', origin: 'manual', content: '我自己记的', at: NOW - 2 * HOUR }),
          followUp({ id: 'r2', origin: 'remote', source: 'gone', content: '没有作者', at: NOW - 3 * HOUR }),
        ],
      }),
    );
    const [remote, mine, unnamed] = screen.getAllByTestId('followup-item');
    expect(within(remote!).getByTestId('followup-author').textContent).toBe('李娜');
    expect(within(remote!).getByTestId('followup-source').textContent).toBe('来自 NocoDB');
    expect(flat(remote!.querySelector('.lz-tl-by')!)).toBe('李娜 · 来自 NocoDB');
    expect(within(mine!).queryByTestId('followup-source')).toBeNull();
    // A source whose link is gone: its id, never nothing.
    expect(within(unnamed!).getByTestId('followup-source').textContent).toBe('来自 gone');
    expect(within(unnamed!).queryByTestId('followup-author')).toBeNull();
  });

  it("a deal from a CRM shows who and where; the 下次跟进 a CRM set says so", () => {
    renderSidebar(
      knownView({
        links: [knownView().links[0]!, nocodb()],
        deals: [
          { id: 'd1', customerId: 'c1', product: '抵押贷', amount: 300000, status: '已放款', createdAt: NOW - DAY, source: 'noco', by: '李娜' },
          { id: 'd2', customerId: 'c1', product: '车贷', status: '进行中', createdAt: NOW },
        ],
        reminder: reminder({ source: 'noco' }),
      }),
    );
    const deals = screen.getAllByTestId('deal-item');
    const fromCrm = deals.find((d) => d.textContent!.includes('抵押贷'))!;
    expect(within(fromCrm).getByTestId('deal-author').textContent).toBe('李娜');
    expect(within(fromCrm).getByTestId('deal-source').textContent).toBe('来自 NocoDB');
    expect(within(deals.find((d) => d.textContent!.includes('车贷'))!).queryByTestId('deal-source')).toBeNull();
    expect(within(screen.getByTestId('next-followup')).getByTestId('reminder-source').textContent).toBe('（来自 NocoDB）');
    cleanup();
    renderSidebar(knownView());
    expect(screen.queryByTestId('reminder-source')).toBeNull();
  });
});
