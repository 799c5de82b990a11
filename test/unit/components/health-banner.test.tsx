// The sidebar's health banner: each reason a page cannot be read, in the user's language, and
// 复制页面结构 (with the hand-copy fallback when the clipboard refuses).
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HealthBanner, healthBroken, type BannerHealth, type CopyOutcome } from '../../../components/sidebar/HealthBanner';
import { Sidebar, type SidebarActions } from '../../../components/sidebar/Sidebar';
import { createT } from '../../../lib/i18n';
import type { HealthIssue } from '../../../lib/model';

afterEach(cleanup);

const zh = createT('zh_CN');
const en = createT('en');
const broken = (issues: HealthIssue[], missing: string[] = []): BannerHealth => ({ ok: false, missing, issues });

// Each cause with its text in both languages (and what must not be shown: raw field ids).
const CASES: [HealthIssue, string, string][] = [
  [{ cause: 'noRows', detail: 'text without rows' }, '找到了消息列表，但没有读到任何消息（网站可能改版了）', 'Found the message list but read no messages in it'],
  [{ cause: 'emptyText', detail: '5 rows' }, '读到了消息，但每条的内容都是空的', 'every one of them read as empty'],
  [{ cause: 'idFormat', detail: 'hex20' }, '消息编号的格式不认识（hex20）', "Message ids are in a format Liaison doesn't recognise (hex20)"],
  [{ cause: 'fields', detail: 'threadKey,messageList' }, '找不到：聊天编号、消息列表（网站可能改版了）', 'Not found: chat id, message list (the site may have changed)'],
  [{ cause: 'decoy', detail: 'chat list row' }, '找到的元素不是当前打开的聊天', 'What was found is not the open chat'],
];

describe('HealthBanner: one line per cause', () => {
  it.each(CASES)('%o in Chinese and English', (issue, zhText, enText) => {
    const { rerender } = render(<HealthBanner t={zh} health={broken([issue])} />);
    const line = () => screen.getByTestId('health-banner').querySelector(`[data-cause="${issue.cause}"]`);
    expect(line()?.textContent).toContain(zhText);
    expect(screen.getByTestId('health-banner').textContent).toContain('无法读取此页面的消息');
    rerender(<HealthBanner t={en} health={broken([issue])} />);
    expect(line()?.textContent).toContain(enText);
    // Field ids and the runtime's English details are not shown to the user as such.
    expect(screen.getByTestId('health-banner').textContent).not.toMatch(/threadKey|messageList|text without rows|5 rows|chat list row/);
  });

  it('lists several causes, each with its own line', () => {
    render(<HealthBanner t={zh} health={broken([{ cause: 'fields', detail: 'title' }, { cause: 'idFormat', detail: 'b64-24' }])} />);
    const lines = screen.getByTestId('health-banner').querySelectorAll('[data-cause]');
    expect([...lines].map((l) => l.getAttribute('data-cause'))).toEqual(['fields', 'idFormat']);
    expect(lines[0]!.textContent).toContain('聊天名称');
  });

  it('a fields issue without detail names the missing fields; unknown names pass through', () => {
    render(<HealthBanner t={en} health={broken([{ cause: 'fields' }], ['title', 'members', 'somethingNew'])} />);
    expect(screen.getByTestId('health-banner').querySelector('[data-cause="fields"]')!.textContent).toBe('Not found: chat name, chat members, somethingNew (the site may have changed)');
  });

  it('an older report without issues still says what is missing', () => {
    render(<HealthBanner t={zh} health={{ ok: false, missing: ['messageList'] }} />);
    expect(screen.getByTestId('health-banner').textContent).toContain('未找到：消息列表');
  });

  it('a weak key alone is an information line, not the "cannot read" warning', () => {
    const weak = broken([{ cause: 'weakKey', detail: 'title' }]);
    expect(healthBroken(weak)).toBe(false);
    const { rerender } = render(<HealthBanner t={zh} health={weak} />);
    expect(screen.queryByTestId('health-banner')).toBeNull();
    expect(screen.getByTestId('health-info').querySelector('[data-cause="weakKey"]')!.textContent).toBe('只读到了聊天名称，尚未确认联系人：不会自动关联客户');
    rerender(<HealthBanner t={en} health={weak} />);
    expect(screen.getByTestId('health-info').textContent).toContain("won't be linked to a customer automatically");
    // With a real problem too, the warning shows and the weak key is not listed as a failure.
    rerender(<HealthBanner t={zh} health={broken([{ cause: 'weakKey' }, { cause: 'noRows' }])} />);
    expect(screen.getByTestId('health-banner').querySelectorAll('[data-cause]')).toHaveLength(1);
    expect(screen.queryByTestId('health-info')).toBeNull();
  });

  it('shows nothing for a healthy read', () => {
    const { container } = render(<HealthBanner t={zh} health={{ ok: true, missing: [], issues: [] }} />);
    expect(container.textContent).toBe('');
  });
});

describe('HealthBanner: 复制页面结构', () => {
  it('the copy button calls its callback and says it was copied', async () => {
    const copy = vi.fn(async (): Promise<CopyOutcome> => ({ kind: 'copied' }));
    render(<HealthBanner t={zh} health={broken([{ cause: 'noRows' }])} copy={copy} />);
    fireEvent.click(screen.getByTestId('copy-structure'));
    await waitFor(() => expect(screen.getByTestId('copy-structure-done').textContent).toContain('已复制页面结构'));
    expect(copy).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('copy-structure-text')).toBeNull();
  });

  it('when the clipboard refuses, shows the skeleton in a textarea to copy by hand', async () => {
    const skeleton = 'liaison page skeleton v1\nsite: demo · area: body\ndiv.x-shell';
    render(<HealthBanner t={en} health={broken([{ cause: 'weakKey' }])} copy={async () => ({ kind: 'manual', text: skeleton })} />);
    fireEvent.click(screen.getByTestId('copy-structure'));
    const area = (await screen.findByTestId('copy-structure-text')) as HTMLTextAreaElement;
    expect(area.value).toBe(skeleton);
    expect(area.readOnly).toBe(true);
    expect(screen.getByTestId('health-info').textContent).toContain("Couldn't write to the clipboard");
  });

  it('a failed copy says why; no tab answering says so', async () => {
    const { rerender } = render(<HealthBanner t={zh} health={broken([{ cause: 'noRows' }])} copy={async () => Promise.reject(new Error('no answer'))} />);
    fireEvent.click(screen.getByTestId('copy-structure'));
    await waitFor(() => expect(screen.getByTestId('health-banner').textContent).toContain('复制失败：no answer'));
    rerender(<HealthBanner t={zh} health={broken([{ cause: 'noRows' }])} copy={async () => ({ kind: 'noTab' })} />);
    fireEvent.click(screen.getByTestId('copy-structure'));
    await screen.findByTestId('copy-structure-no-tab');
  });

  it('no copy callback, no button', () => {
    render(<HealthBanner t={zh} health={broken([{ cause: 'noRows' }])} />);
    expect(screen.queryByTestId('copy-structure')).toBeNull();
  });
});

describe('Sidebar wiring', () => {
  const actions = (): SidebarActions => ({
    create: vi.fn(),
    search: vi.fn(async () => []),
    link: vi.fn(),
    unlink: vi.fn(),
    update: vi.fn(),
    logFollowUp: vi.fn(),
    reminderDone: vi.fn(),
    snooze: vi.fn(),
    openOptions: vi.fn(),
  });

  it('passes the copy callback to the banner, and a weak key does not mark the collapsed tab as broken', async () => {
    const onCopyStructure = vi.fn(async (): Promise<CopyOutcome> => ({ kind: 'copied' }));
    const base = { t: zh, view: null, onToggle: vi.fn(), actions: actions(), now: 0, onCopyStructure };
    const { rerender } = render(<Sidebar {...base} collapsed={false} health={broken([{ cause: 'emptyText' }])} />);
    fireEvent.click(screen.getByTestId('copy-structure'));
    await waitFor(() => expect(onCopyStructure).toHaveBeenCalledTimes(1));
    rerender(<Sidebar {...base} collapsed={true} health={broken([{ cause: 'weakKey' }])} />);
    expect(screen.getByTestId('sidebar-toggle').className).not.toContain('lz-tab-warn');
    rerender(<Sidebar {...base} collapsed={true} health={broken([{ cause: 'noRows' }])} />);
    expect(screen.getByTestId('sidebar-toggle').className).toContain('lz-tab-warn');
  });
});
