// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Sidebar, type SidebarActions, type SidebarProps } from '../../../components/sidebar/Sidebar';
import { SEARCH_DEBOUNCE_MS } from '../../../components/sidebar/UnknownContact';
import { tomorrowNine } from '../../../components/sidebar/time';
import { createT } from '../../../lib/i18n';
import type { CustomerView } from '../../../lib/model';
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

function renderSidebar(view: CustomerView | null, over: Partial<SidebarProps> = {}) {
  const props: SidebarProps = {
    t: createT('zh_CN'),
    view,
    collapsed: false,
    onToggle: vi.fn(),
    actions: actions(),
    now: NOW,
    ...over,
  };
  const r = render(<Sidebar {...props} />);
  return { ...r, props };
}

const input = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } });
const change = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });

describe('Sidebar: unknown contact', () => {
  it('shows the identity read from the chat, with parsed phones and a group note', () => {
    renderSidebar(unknownView({ identity: { displayName: '李雷', phones: ['+8613911112222', '+85291234567'], emails: [], isGroup: true } }));
    expect(screen.getByTestId('identity-name').textContent).toBe('李雷');
    const phones = screen.getByTestId('identity-phones');
    expect(phones.textContent).toContain('+86 139 1111 2222');
    expect(phones.textContent).toContain('+85291234567');
    expect(screen.getByTestId('group-note')).toBeTruthy();
    expect(screen.queryByTestId('customer-code')).toBeNull();
  });

  it('a chat known only by its title (weak key): shown, with no create, link or candidates', () => {
    renderSidebar(
      unknownView({
        identity: { displayName: '张伟', phones: [], emails: [], isGroup: false, weakKey: true },
        candidates: [{ id: 'c9', code: 'KH2026-0009', name: '张伟', phones: [], stage: '已联系', matchedBy: ['name'] }],
      }),
    );
    expect(screen.getByTestId('identity-name').textContent).toBe('张伟');
    expect(screen.getByTestId('weak-key-note')).toBeTruthy();
    expect(screen.queryByTestId('create-submit')).toBeNull();
    expect(screen.queryByTestId('candidate')).toBeNull();
    expect(screen.queryByTestId('link-search')).toBeNull();
  });

  it('lists candidates with why they match, and links one in one click', async () => {
    const { props } = renderSidebar(
      unknownView({
        candidates: [
          { id: 'c9', code: 'KH2026-0009', name: '李雷', phones: ['+8613911112222'], stage: '已联系', matchedBy: ['phone'] },
          { id: 'c8', code: 'KH2026-0008', name: '李蕾', phones: [], stage: '新客户', matchedBy: ['name'] },
        ],
      }),
    );
    const rows = screen.getAllByTestId('candidate');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('电话相同');
    expect(rows[1]!.textContent).toContain('名称相似');
    fireEvent.click(within(rows[0]!).getByRole('button', { name: '关联' }));
    await waitFor(() => expect(props.actions.link).toHaveBeenCalledWith('c9'));
  });

  it('creates a customer with the prefilled name and phones, plus what the user chose', async () => {
    const { props } = renderSidebar(unknownView());
    const form = screen.getByTestId('create-customer');
    expect((within(form).getByLabelText('客户姓名') as HTMLInputElement).value).toBe('李雷');
    // A second phone, a company and a later stage.
    fireEvent.click(within(form).getByRole('button', { name: /添加电话/ }));
    input(within(form).getByLabelText('电话 2'), '138 0000 1111');
    input(within(form).getByLabelText('公司'), '雷氏集团');
    change(within(form).getByLabelText('客户阶段'), '已联系');
    change(within(form).getByLabelText('意向等级'), '中');
    change(within(form).getByLabelText('来源渠道'), '抖音');
    fireEvent.click(screen.getByTestId('create-submit'));
    await waitFor(() => expect(props.actions.create).toHaveBeenCalledTimes(1));
    expect(props.actions.create).toHaveBeenCalledWith({
      name: '李雷',
      phones: ['+8613911112222', '138 0000 1111'],
      company: '雷氏集团',
      source: '抖音',
      intentLevel: '中',
      stage: '已联系',
    });
  });

  it('defaults the stage to the first configured stage and refuses an empty name', async () => {
    const { props } = renderSidebar(unknownView({ identity: { displayName: '', phones: [], emails: [], isGroup: false } }));
    fireEvent.click(screen.getByTestId('create-submit'));
    expect(await screen.findByText('必填')).toBeTruthy();
    expect(props.actions.create).not.toHaveBeenCalled();
    input(screen.getByLabelText('客户姓名'), '韩梅梅');
    fireEvent.click(screen.getByTestId('create-submit'));
    await waitFor(() => expect(props.actions.create).toHaveBeenCalledWith({ name: '韩梅梅', phones: [], stage: '新客户' }));
  });

  it('fills fields the user has not touched from what the same chat reveals later, and keeps edits', async () => {
    const early = unknownView({ identity: { displayName: '', phones: [], emails: [], isGroup: false } });
    const { props, rerender } = renderSidebar(early);
    const form = screen.getByTestId('create-customer');
    expect((within(form).getByLabelText('客户姓名') as HTMLInputElement).value).toBe('');
    input(within(form).getByLabelText('公司'), '峨眉贸易');
    // The name is read a moment later and the customer types a number: same chat, same form.
    rerender(<Sidebar {...props} view={unknownView({ identity: { displayName: '周芷若', phones: ['+8613911112222'], emails: [], wechat: 'zhiruo_emei', isGroup: false } })} />);
    await waitFor(() => expect((within(form).getByLabelText('客户姓名') as HTMLInputElement).value).toBe('周芷若'));
    expect((within(form).getByLabelText('公司') as HTMLInputElement).value).toBe('峨眉贸易');
    // The user renames; a later read with another spelling of the title leaves the edit alone.
    input(within(form).getByLabelText('客户姓名'), '周芷若（采购）');
    rerender(<Sidebar {...props} view={unknownView({ identity: { displayName: '芷若', phones: ['+8613911112222'], emails: [], wechat: 'zhiruo_emei', isGroup: false } })} />);
    fireEvent.click(screen.getByTestId('create-submit'));
    await waitFor(() => expect(props.actions.create).toHaveBeenCalledTimes(1));
    expect(props.actions.create).toHaveBeenCalledWith({ name: '周芷若（采购）', phones: ['+8613911112222'], company: '峨眉贸易', wechatId: 'zhiruo_emei', stage: '新客户' });
  });

  it('shows the error of a rejected create inline and re-enables the button', async () => {
    const d = deferred();
    const { props } = renderSidebar(unknownView(), { actions: actions({ create: vi.fn(() => d.promise) }) });
    const button = screen.getByTestId('create-submit') as HTMLButtonElement;
    fireEvent.click(button);
    await waitFor(() => expect(button.disabled).toBe(true));
    expect(button.getAttribute('aria-busy')).toBe('true');
    d.reject(new Error('电话号码无效：12'));
    expect(await screen.findByText('电话号码无效：12')).toBeTruthy();
    expect(button.disabled).toBe(false);
    expect(props.actions.create).toHaveBeenCalledTimes(1);
  });

  it('searches as the user types, once per pause, and links a result', async () => {
    const search = vi.fn(async (q: string) => [{ id: 'c5', code: 'KH2026-0005', name: '王五', phones: [], stage: '跟进中', matchedBy: ['search'] }].filter(() => q === 'ww'));
    const { props } = renderSidebar(unknownView(), { actions: actions({ search }) });
    const box = screen.getByTestId('link-search');
    input(box, 'w');
    input(box, 'ww');
    await waitFor(() => expect(search).toHaveBeenCalled(), { timeout: SEARCH_DEBOUNCE_MS * 4 });
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith('ww');
    const result = await screen.findByTestId('search-result');
    expect(result.textContent).toContain('王五');
    fireEvent.click(within(result).getByRole('button'));
    await waitFor(() => expect(props.actions.link).toHaveBeenCalledWith('c5'));
  });
});

describe('Sidebar: known customer', () => {
  it('shows the customer code, stage, next follow-up and sync state', () => {
    renderSidebar(
      knownView({
        links: [
          { connectionId: 'local', connectionName: '本地', kind: 'local', syncState: 'synced' },
          { connectionId: 'zb', connectionName: '智邦ERP', kind: 'zhibang', syncState: 'failed', lastError: '401 令牌过期' },
        ],
      }),
    );
    expect(screen.getByTestId('customer-code').textContent).toBe('KH2026-0007');
    expect((screen.getByTestId('stage-select') as HTMLSelectElement).value).toBe('跟进中');
    expect(screen.getByTestId('next-followup').textContent).toContain('2小时后');
    const sync = screen.getAllByTestId('sync-state');
    expect(sync.map((s) => s.getAttribute('data-state'))).toEqual(['synced', 'failed']);
    expect(sync[0]!.textContent).toContain('已同步');
    expect(sync[1]!.textContent).toContain('同步失败');
    expect(sync[1]!.textContent).toContain('401 令牌过期');
  });

  it('marks an overdue follow-up', () => {
    renderSidebar(knownView({ customer: customer({ nextFollowUpAt: NOW - 3 * DAY }), reminder: reminder({ dueAt: NOW - 3 * DAY }) }));
    const next = screen.getByTestId('next-followup');
    expect(next.getAttribute('data-state')).toBe('overdue');
    expect(next.textContent).toMatch(/逾期 3\s?天/);
  });

  it('changes the stage through update()', async () => {
    const { props } = renderSidebar(knownView());
    change(screen.getByTestId('stage-select'), '谈判中');
    await waitFor(() => expect(props.actions.update).toHaveBeenCalledWith({ stage: '谈判中' }));
  });

  it('marks the reminder done and snoozes it', async () => {
    const { props } = renderSidebar(knownView());
    fireEvent.click(screen.getByTestId('reminder-done'));
    fireEvent.click(screen.getByTestId('reminder-snooze'));
    await waitFor(() => expect(props.actions.reminderDone).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(props.actions.snooze).toHaveBeenCalledTimes(1));
  });

  it('has no reminder buttons without an active reminder', () => {
    renderSidebar(knownView({ reminder: undefined, customer: customer({ nextFollowUpAt: undefined }) }));
    expect(screen.queryByTestId('reminder-done')).toBeNull();
    expect(screen.getByTestId('next-followup').textContent).toContain('未安排');
  });

  it('logs a follow-up with method, content, result and next time (quick pick)', async () => {
    const { props } = renderSidebar(knownView());
    const form = screen.getByTestId('followup-form');
    fireEvent.click(within(form).getByLabelText('电话'));
    input(screen.getByTestId('followup-content'), '约了下周面谈');
    fireEvent.click(within(form).getByLabelText('有意向'));
    input(within(form).getByLabelText('下次行动'), '发方案');
    fireEvent.click(within(form).getByRole('button', { name: '明天上午9点' }));
    fireEvent.click(screen.getByTestId('followup-submit'));
    await waitFor(() => expect(props.actions.logFollowUp).toHaveBeenCalledTimes(1));
    expect(props.actions.logFollowUp).toHaveBeenCalledWith({
      method: '电话',
      content: '约了下周面谈',
      result: '有意向',
      nextAction: '发方案',
      nextAt: tomorrowNine(NOW),
    });
    expect(new Date(tomorrowNine(NOW)).getHours()).toBe(9);
    // The form is cleared for the next entry.
    await waitFor(() => expect((screen.getByTestId('followup-content') as HTMLTextAreaElement).value).toBe(''));
  });

  it('reads a typed datetime-local as local time', async () => {
    const { props } = renderSidebar(knownView());
    input(screen.getByTestId('followup-content'), '发了资料');
    input(screen.getByTestId('followup-next'), '2026-11-25T14:30');
    fireEvent.click(screen.getByTestId('followup-submit'));
    await waitFor(() =>
      expect(props.actions.logFollowUp).toHaveBeenCalledWith({ method: '微信', content: '发了资料', nextAt: new Date(2026, 10, 25, 14, 30).getTime() }),
    );
  });

  it('does not send an empty follow-up', async () => {
    const { props } = renderSidebar(knownView());
    fireEvent.click(screen.getByTestId('followup-submit'));
    expect(await screen.findByText('必填')).toBeTruthy();
    expect(props.actions.logFollowUp).not.toHaveBeenCalled();
  });

  it('shows a rejected follow-up error inline, keeps the text, and disables the button while busy', async () => {
    const d = deferred();
    renderSidebar(knownView(), { actions: actions({ logFollowUp: vi.fn(() => d.promise) }) });
    input(screen.getByTestId('followup-content'), '客户在考虑');
    const submit = screen.getByTestId('followup-submit') as HTMLButtonElement;
    fireEvent.click(submit);
    await waitFor(() => expect(submit.disabled).toBe(true));
    d.reject(new Error('后台不可用'));
    const err = await screen.findByText('后台不可用');
    expect(err.getAttribute('role')).toBe('alert');
    expect(submit.disabled).toBe(false);
    expect((screen.getByTestId('followup-content') as HTMLTextAreaElement).value).toBe('客户在考虑');
  });

  it('shows a generic message when a callback rejects with nothing readable', async () => {
    renderSidebar(knownView(), { actions: actions({ reminderDone: vi.fn(() => Promise.reject(undefined)) }) });
    fireEvent.click(screen.getByTestId('reminder-done'));
    expect(await screen.findByText('操作失败，请重试')).toBeTruthy();
  });

  it('lists follow-ups newest first', () => {
    renderSidebar(
      knownView({
        followUps: [
          followUp({ id: 'a', content: '最早', at: NOW - 3 * DAY }),
          followUp({ id: 'b', content: '最新', at: NOW - HOUR }),
          followUp({ id: 'c', content: '中间', at: NOW - 2 * DAY }),
        ],
      }),
    );
    expect(screen.getAllByTestId('followup-item').map((li) => li.querySelector('.lz-tl-body')?.textContent)).toEqual(['最新', '中间', '最早']);
  });

  it('edits the customer and sends the full patch', async () => {
    const { props } = renderSidebar(knownView());
    fireEvent.click(screen.getByTestId('edit-customer'));
    const form = screen.getByTestId('edit-customer-form');
    input(within(form).getByLabelText('公司'), '');
    input(within(form).getByLabelText('标签'), 'VIP, 老客户');
    fireEvent.click(screen.getByTestId('edit-save'));
    await waitFor(() => expect(props.actions.update).toHaveBeenCalledTimes(1));
    expect(props.actions.update).toHaveBeenCalledWith(expect.objectContaining({ name: '王小明', company: '', tags: ['VIP', '老客户'], stage: '跟进中', intentLevel: '高' }));
    await waitFor(() => expect(screen.queryByTestId('edit-customer-form')).toBeNull());
  });

  it('drops a half-typed follow-up when the chat switches to another customer', () => {
    const { rerender, props } = renderSidebar(knownView());
    input(screen.getByTestId('followup-content'), '写了一半');
    rerender(<Sidebar {...props} view={knownView({ customer: customer({ id: 'c2', code: 'KH2026-0008', name: '赵六' }) })} />);
    expect(screen.getByTestId('customer-code').textContent).toBe('KH2026-0008');
    expect((screen.getByTestId('followup-content') as HTMLTextAreaElement).value).toBe('');
  });

  it('unlinks only after confirmation', async () => {
    const { props } = renderSidebar(knownView());
    fireEvent.click(screen.getByTestId('unlink'));
    expect(props.actions.unlink).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('unlink-confirm'));
    await waitFor(() => expect(props.actions.unlink).toHaveBeenCalledTimes(1));
  });
});

describe('Sidebar: hostile text renders literally', () => {
  it('in a known customer, follow-ups, sync errors and tags', () => {
    const { container } = renderSidebar(
      knownView({
        customer: customer({ name: HOSTILE, company: HOSTILE, tags: [HOSTILE], stage: HOSTILE }),
        followUps: [followUp({ content: HOSTILE, nextAction: HOSTILE })],
        links: [{ connectionId: 'x', connectionName: HOSTILE, kind: 'x', syncState: 'failed', lastError: HOSTILE }],
      }),
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('customer-name').textContent).toBe(HOSTILE);
    expect(container.textContent).toContain(HOSTILE);
    expect(screen.getByTestId('sync-error').textContent).toBe(HOSTILE);
  });

  it('in an unknown contact and its candidates', () => {
    const { container } = renderSidebar(
      unknownView({
        identity: { displayName: HOSTILE, phones: [HOSTILE], emails: [HOSTILE], wechat: HOSTILE, isGroup: false },
        candidates: [{ id: 'c1', code: HOSTILE, name: HOSTILE, phones: [], stage: '新客户', matchedBy: [HOSTILE] }],
      }),
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('identity-name').textContent).toBe(HOSTILE);
    expect(screen.getByTestId('candidate').textContent).toContain(HOSTILE);
  });

  it('in an error message from a rejected callback', async () => {
    const { container } = renderSidebar(knownView(), { actions: actions({ snooze: vi.fn(() => Promise.reject(new Error(HOSTILE))) }) });
    fireEvent.click(screen.getByTestId('reminder-snooze'));
    expect((await screen.findByRole('alert')).textContent).toBe(HOSTILE);
    expect(container.querySelector('img')).toBeNull();
  });
});

describe('Sidebar: frame', () => {
  it('collapsed: a slim tab with the customer code that expands on click', () => {
    const { props } = renderSidebar(knownView(), { collapsed: true });
    const root = screen.getByTestId('liaison-sidebar');
    expect(root.getAttribute('data-collapsed')).toBe('true');
    expect(screen.queryByTestId('followup-form')).toBeNull();
    const toggle = screen.getByTestId('sidebar-toggle');
    expect(toggle.textContent).toContain('KH2026-0007');
    fireEvent.click(toggle);
    expect(props.onToggle).toHaveBeenCalledTimes(1);
  });

  it('collapsed without a customer: a dot, no code', () => {
    renderSidebar(unknownView(), { collapsed: true });
    expect(screen.queryByTestId('tab-code')).toBeNull();
    expect(screen.getByTestId('sidebar-toggle').querySelector('.lz-tab-dot')).not.toBeNull();
  });

  it('expanded: the collapse button calls onToggle; settings opens options', () => {
    const { props } = renderSidebar(knownView());
    expect(screen.getByTestId('liaison-sidebar').getAttribute('data-collapsed')).toBe('false');
    fireEvent.click(screen.getByTestId('sidebar-toggle'));
    expect(props.onToggle).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: '设置' }));
    expect(props.actions.openOptions).toHaveBeenCalledTimes(1);
  });

  it('shows the health banner only when the reader is broken', () => {
    const { rerender, props } = renderSidebar(knownView(), { health: { ok: false, missing: ['messages'] } });
    const banner = screen.getByTestId('health-banner');
    expect(banner.textContent).toContain('无法读取此页面的消息：网站可能已更新');
    expect(banner.textContent).toContain('messages');
    rerender(<Sidebar {...props} health={{ ok: true, missing: [] }} />);
    expect(screen.queryByTestId('health-banner')).toBeNull();
  });

  it('shows a failed request with a retry, and nothing once it clears', () => {
    const onRetry = vi.fn();
    const { rerender, props } = renderSidebar(null, { error: 'Extension context invalidated.', onRetry });
    const banner = screen.getByTestId('sidebar-error');
    expect(banner.textContent).toContain('Extension context invalidated.');
    fireEvent.click(screen.getByTestId('sidebar-retry'));
    expect(onRetry).toHaveBeenCalledTimes(1);
    rerender(<Sidebar {...props} error={null} />);
    expect(screen.queryByTestId('sidebar-error')).toBeNull();
  });

  it('waits for a conversation when there is no view', () => {
    renderSidebar(null);
    expect(screen.getByTestId('liaison-sidebar').textContent).toContain('打开一个聊天');
  });

  it('speaks English: labels and enum values translated, custom stages as they are', () => {
    renderSidebar(knownView({ options: { stages: ['跟进中', '意向面谈'], sources: ['其他'], products: ['车贷'], language: 'en' } }), { t: createT('en') });
    expect(screen.getByText('Customer code')).toBeTruthy();
    expect(screen.getByTestId('stage-badge').textContent).toBe('Following up');
    const options = Array.from((screen.getByTestId('stage-select') as HTMLSelectElement).options).map((o) => [o.value, o.textContent]);
    expect(options).toEqual([
      ['跟进中', 'Following up'],
      ['意向面谈', '意向面谈'],
    ]);
    expect(screen.getByTestId('next-followup').textContent).toContain('in 2 hours');
    expect(screen.getByTestId('followup-form').textContent).toContain('WeChat');
  });
});
