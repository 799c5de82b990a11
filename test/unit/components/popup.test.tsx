// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Popup, POPUP_SNOOZE_MINUTES, type PopupActions, type PopupProps } from '../../../components/popup/Popup';
import { createPageT as createT } from '../../../lib/i18n/pages';
import type { Dashboard } from '../../../lib/model';
import { HOSTILE, dashboard, deferred, dueItem } from './fixtures';

afterEach(cleanup);

function actions(over: Partial<PopupActions> = {}): PopupActions {
  return {
    done: vi.fn(async () => undefined),
    snooze: vi.fn(async () => undefined),
    openChat: vi.fn(async () => undefined),
    quickNote: vi.fn(async () => undefined),
    openOptions: vi.fn(),
    ...over,
  };
}

function renderPopup(d: Dashboard | null, over: Partial<PopupProps> = {}) {
  const props: PopupProps = { t: createT('zh_CN'), dashboard: d, actions: actions(), ...over };
  return { ...render(<Popup {...props} />), props };
}

describe('Popup', () => {
  it('shows counts, then overdue items before today’s', () => {
    renderPopup(dashboard());
    expect(screen.getByTestId('count-due').textContent).toBe('1');
    expect(screen.getByTestId('count-overdue').textContent).toBe('1');
    const items = screen.getAllByTestId('due-item');
    expect(items.map((i) => i.getAttribute('data-customer-id'))).toEqual(['c2', 'c1']);
    expect(items[0]!.textContent).toContain('KH2026-0002');
    expect(items[0]!.textContent).toContain('张三');
    expect(items[0]!.textContent).toMatch(/逾期 3\s?天/);
    expect(items[1]!.textContent).toContain('1小时后');
    expect(items[1]!.textContent).toContain('跟进中');
    expect(items[1]!.textContent).toContain('电话沟通了利率');
  });

  it('done, snooze 1h and open chat call their action with the customer id', async () => {
    const { props } = renderPopup(dashboard());
    const item = screen.getAllByTestId('due-item')[0]!;
    fireEvent.click(within(item).getByTestId('due-done'));
    await waitFor(() => expect(props.actions.done).toHaveBeenCalledWith('c2'));
    fireEvent.click(within(item).getByTestId('due-snooze'));
    await waitFor(() => expect(props.actions.snooze).toHaveBeenCalledWith('c2', POPUP_SNOOZE_MINUTES));
    expect(POPUP_SNOOZE_MINUTES).toBe(60);
    fireEvent.click(within(item).getByTestId('due-open'));
    await waitFor(() => expect(props.actions.openChat).toHaveBeenCalledWith('c2'));
  });

  it('logs a quick note for the right customer', async () => {
    const { props } = renderPopup(dashboard());
    const item = screen.getAllByTestId('due-item')[1]!;
    fireEvent.click(within(item).getByTestId('due-note'));
    const box = within(item).getByTestId('due-note-input');
    fireEvent.input(box, { target: { value: '  已发报价  ' } });
    fireEvent.click(within(item).getByTestId('due-note-save'));
    await waitFor(() => expect(props.actions.quickNote).toHaveBeenCalledWith('c1', '已发报价'));
    await waitFor(() => expect(within(item).queryByTestId('due-note-input')).toBeNull());
  });

  it('keeps the row busy while an action runs and shows a rejection inline', async () => {
    const d = deferred();
    renderPopup(dashboard(), { actions: actions({ done: vi.fn(() => d.promise) }) });
    const item = screen.getAllByTestId('due-item')[1]!;
    const done = within(item).getByTestId('due-done') as HTMLButtonElement;
    fireEvent.click(done);
    await waitFor(() => expect(done.disabled).toBe(true));
    expect((within(item).getByTestId('due-snooze') as HTMLButtonElement).disabled).toBe(true);
    d.reject(new Error('提醒不存在'));
    expect((await within(item).findByRole('alert')).textContent).toBe('提醒不存在');
    expect(done.disabled).toBe(false);
  });

  it('shows the empty state when nothing is due', () => {
    renderPopup(dashboard({ overdue: [], dueToday: [], counts: { dueToday: 0, overdue: 0, customers: 3 } }));
    expect(screen.getByTestId('popup-empty').textContent).toContain('今天没有待跟进的客户');
    expect(screen.queryByTestId('due-item')).toBeNull();
    expect(screen.getByTestId('count-due').textContent).toBe('0');
  });

  it('summarises sync per connection', () => {
    renderPopup(dashboard());
    const s = screen.getByTestId('sync-summary');
    expect(s.textContent).toContain('本地');
    expect(s.textContent).toContain('已同步 7');
    expect(s.textContent).toContain('待同步 2');
    expect(s.textContent).toContain('同步失败 1');
  });

  it('shows a load error and a loading state', () => {
    const { rerender, props } = renderPopup(null);
    expect(screen.getByTestId('popup').textContent).toContain('加载中');
    rerender(<Popup {...props} error={HOSTILE} />);
    expect(screen.getByTestId('popup-error').textContent).toBe(HOSTILE);
    expect(document.querySelector('img')).toBeNull();
  });

  it('renders hostile names literally', () => {
    const { container } = renderPopup(dashboard({ dueToday: [dueItem({ name: HOSTILE, code: HOSTILE, lastFollowUp: HOSTILE, stage: HOSTILE })], overdue: [] }));
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('due-item').textContent).toContain(HOSTILE);
  });

  it('opens options', () => {
    const { props } = renderPopup(dashboard());
    fireEvent.click(screen.getByTestId('open-options'));
    expect(props.actions.openOptions).toHaveBeenCalled();
  });

  it('speaks English', () => {
    renderPopup(dashboard(), { t: createT('en') });
    expect(screen.getByTestId('popup').textContent).toContain('Due today');
    expect(screen.getAllByTestId('due-item')[0]!.textContent).toContain('3 days overdue');
    expect(screen.getAllByTestId('due-item')[1]!.textContent).toContain('Following up');
  });
});
