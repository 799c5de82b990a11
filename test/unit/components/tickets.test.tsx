// @vitest-environment happy-dom
// 工单 / 售后单 beside the chat (issue 17): the section on the customer card (number, status with
// the vendor's word beside ours, where it lives, created time, local status changes) and the
// complaint suggestion's 创建售后单 form (prefilled, edited, filed).
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TicketList } from '../../../components/sidebar/TicketList';
import { Suggestions } from '../../../components/sidebar/Suggestions';
import { Sidebar, type SidebarActions } from '../../../components/sidebar/Sidebar';
import { createT } from '../../../lib/i18n';
import type { TicketView } from '../../../lib/model';
import type { Suggestions as Data } from '../../../lib/suggest/schema';
import { HOSTILE, HOUR, NOW, knownView } from './fixtures';

afterEach(cleanup);

const local: TicketView = {
  id: 't1', subject: '收到的货坏了', category: '售后', priority: '高', status: '新建', createdAt: NOW - 2 * HOUR, updatedAt: NOW - 2 * HOUR, messageIds: ['m1'], local: true,
  places: [{ connectionId: 'local', connectionName: '本地 CRM', number: 'SH20261121-001', status: '新建', readAt: NOW - 2 * HOUR, sync: 'synced' }],
};
const remote: TicketView = {
  id: 't2', subject: HOSTILE, category: '技术支持', priority: '中', status: '待回复', createdAt: NOW - HOUR, updatedAt: NOW - HOUR, messageIds: [], local: false,
  places: [
    { connectionId: 'zd', connectionName: 'Zendesk 客服', number: '#35', status: '待回复', vendorStatus: 'pending', url: 'https://acme.zendesk.com/agent/tickets/35', readAt: NOW - 60_000, sync: 'synced' },
    { connectionId: 'jira', connectionName: 'Jira', sync: 'failed', error: 'validation: HTTP 400: project is required' },
  ],
};

describe('TicketList', () => {
  it('shows each ticket’s number, status, the vendor’s word, where it lives and when it was created', () => {
    render(<TicketList t={createT('zh_CN')} tickets={[remote, local]} now={NOW} setStatus={vi.fn(async () => undefined)} />);
    const [r, l] = screen.getAllByTestId('ticket-item');
    const zd = within(r!).getAllByTestId('ticket-place')[0]!;
    expect(within(zd).getByTestId('ticket-number').textContent).toBe('#35');
    expect(within(zd).getByTestId('ticket-number').getAttribute('href')).toBe('https://acme.zendesk.com/agent/tickets/35');
    expect(within(zd).getByTestId('ticket-status').textContent).toBe('待回复');
    expect(within(zd).getByTestId('ticket-vendor-status').textContent).toContain('pending');
    expect(within(zd).getByTestId('ticket-where').textContent).toBe('在 Zendesk 客服');
    const jira = within(r!).getAllByTestId('ticket-place')[1]!;
    expect(within(jira).queryByTestId('ticket-number')).toBeNull();
    expect(within(jira).getByTestId('ticket-sync').textContent).toContain('同步失败');
    expect(within(jira).getByTestId('ticket-sync').getAttribute('title')).toContain('project is required');
    // A remote ticket's status is not set here.
    expect(within(r!).queryByTestId('ticket-status-select')).toBeNull();
    // Hostile text stays text.
    expect(r!.textContent).toContain(HOSTILE);
    expect(r!.querySelector('img')).toBeNull();

    expect(within(l!).getByTestId('ticket-number').textContent).toBe('SH20261121-001');
    expect(within(l!).getByTestId('ticket-status').textContent).toBe('新建');
    expect(within(l!).getByTestId('ticket-where').textContent).toBe('在 本地 CRM');
    expect(within(l!).getByTestId('ticket-created').textContent).toMatch(/创建于 2 ?小时前/);
  });

  it('moves a local ticket on, and shows a refusal', async () => {
    const setStatus = vi.fn(async (_id: string, s: string) => (s === '已关闭' ? Promise.reject(new Error('不能关闭 / cannot close')) : undefined));
    render(<TicketList t={createT('zh_CN')} tickets={[local]} now={NOW} setStatus={setStatus} />);
    fireEvent.change(screen.getByTestId('ticket-status-select'), { target: { value: '处理中' } });
    await waitFor(() => expect(setStatus).toHaveBeenCalledWith('t1', '处理中'));
    fireEvent.change(screen.getByTestId('ticket-status-select'), { target: { value: '已关闭' } });
    expect(await screen.findByText('不能关闭')).toBeTruthy();
  });

  it('speaks English too, and shows nothing without tickets', () => {
    const { container } = render(<TicketList t={createT('en')} tickets={[]} now={NOW} />);
    expect(container.textContent).toBe('');
    cleanup();
    render(<TicketList t={createT('en')} tickets={[local]} now={NOW} />);
    expect(screen.getByTestId('tickets').textContent).toContain('Tickets');
    expect(screen.getByTestId('ticket-status').textContent).toBe('New');
    expect(screen.getByTestId('ticket-where').textContent).toBe('in 本地 CRM');
  });

  it('is shown on the known customer’s sidebar', () => {
    const actions = { create: vi.fn(), search: vi.fn(), link: vi.fn(), unlink: vi.fn(), update: vi.fn(), logFollowUp: vi.fn(), reminderDone: vi.fn(), snooze: vi.fn(), openOptions: vi.fn() } as unknown as SidebarActions;
    render(<Sidebar t={createT('zh_CN')} view={knownView()} collapsed={false} onToggle={() => undefined} actions={actions} now={NOW} tickets={[local]} />);
    expect(screen.getByTestId('tickets').textContent).toContain('SH20261121-001');
  });
});

const followUp = { method: '微信' as const, content: '客户投诉：收到的货坏了', messageIds: ['m1'] };
const draft = {
  subject: '收到的货坏了，我要投诉',
  description: '客户消息 / Customer\'s messages:\n> 收到的货坏了，我要投诉',
  category: '售后' as const,
  priority: '高' as const,
  messages: [{ id: 'm1', at: NOW - 1000, from: 'customer' as const, text: '收到的货坏了，我要投诉' }],
};
const data = (items: Data['items']): Data => ({ items, autoLog: { active: false, never: false }, summarySource: 'extractive', understoodAt: NOW });

describe('创建售后单 from the complaint suggestion', () => {
  it('opens the prefilled form; the edited ticket is filed with its messages', async () => {
    const createTicket = vi.fn(async () => undefined);
    const logFollowUp = vi.fn(async () => undefined);
    render(
      <Suggestions
        t={createT('zh_CN')}
        suggestions={data([{ kind: 'ticket', id: 't', complaintKind: 'complaint', term: '投诉', followUp, ticket: draft }])}
        createDeal={vi.fn()}
        setNextFollowUp={vi.fn()}
        logFollowUp={logFollowUp}
        createTicket={createTicket}
      />,
    );
    const accept = screen.getByTestId('suggestion-accept');
    expect(accept.textContent).toBe('创建售后单');
    fireEvent.click(accept);
    expect((screen.getByTestId('ticket-subject') as HTMLInputElement).value).toBe('收到的货坏了，我要投诉');
    expect((screen.getByTestId('ticket-category') as HTMLSelectElement).value).toBe('售后');
    expect((screen.getByTestId('ticket-priority') as HTMLSelectElement).value).toBe('高');
    expect((screen.getByTestId('ticket-description') as HTMLTextAreaElement).value).toContain('> 收到的货坏了');
    fireEvent.input(screen.getByTestId('ticket-subject'), { target: { value: '货物损坏' } });
    fireEvent.change(screen.getByTestId('ticket-priority'), { target: { value: '紧急' } });
    fireEvent.click(screen.getByTestId('ticket-submit'));
    await waitFor(() =>
      expect(createTicket).toHaveBeenCalledWith({ subject: '货物损坏', description: draft.description, category: '售后', priority: '紧急', messages: draft.messages }),
    );
    expect(logFollowUp).not.toHaveBeenCalled();
  });

  it('refuses an empty subject before sending', () => {
    const createTicket = vi.fn(async () => undefined);
    render(<Suggestions t={createT('en')} suggestions={data([{ kind: 'ticket', id: 't', complaintKind: 'after-sales', term: 'refund', followUp, ticket: draft }])} createDeal={vi.fn()} setNextFollowUp={vi.fn()} logFollowUp={vi.fn()} createTicket={createTicket} />);
    fireEvent.click(screen.getByTestId('suggestion-accept'));
    fireEvent.input(screen.getByTestId('ticket-subject'), { target: { value: '  ' } });
    fireEvent.click(screen.getByTestId('ticket-submit'));
    expect(screen.getByText('Enter a subject')).toBeTruthy();
    expect(createTicket).not.toHaveBeenCalled();
  });

  it('without a draft (or without ticket support) it still logs the follow-up', async () => {
    const logFollowUp = vi.fn(async () => undefined);
    render(<Suggestions t={createT('zh_CN')} suggestions={data([{ kind: 'ticket', id: 't', complaintKind: 'complaint', term: '投诉', followUp }])} createDeal={vi.fn()} setNextFollowUp={vi.fn()} logFollowUp={logFollowUp} createTicket={vi.fn()} />);
    fireEvent.click(screen.getByTestId('suggestion-accept'));
    await waitFor(() => expect(logFollowUp).toHaveBeenCalled());
  });
});
