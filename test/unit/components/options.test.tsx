// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Options, type OptionsActions, type OptionsProps } from '../../../components/options/Options';
import { exportFilename } from '../../../components/options/DataSection';
import { formatCustomerCode } from '../../../lib/crm/local/code-format';
import { createPageT as createT } from '../../../lib/i18n/pages';
import { settingsSchema } from '../../../lib/model';
import { NOW, deferred, settings } from './fixtures';

afterEach(cleanup);

function actions(over: Partial<OptionsActions> = {}): OptionsActions {
  return {
    save: vi.fn(async () => undefined),
    exportData: vi.fn(async () => ({ json: '{"customers":[]}', counts: { customers: 12, followUps: 30 } })),
    importData: vi.fn(async () => ({ customers: 3 })),
    ...over,
  };
}

function renderOptions(over: Partial<OptionsProps> = {}) {
  const props: OptionsProps = { t: createT('zh_CN'), settings: settings(), actions: actions(), onDownload: vi.fn(), now: NOW, ...over };
  return { ...render(<Options {...props} />), props };
}

const input = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } });

describe('Options: customer code', () => {
  it('previews the format as it changes', () => {
    renderOptions();
    const preview = screen.getByTestId('code-preview');
    expect(preview.textContent).toBe('KH2026-0001');
    input(screen.getByTestId('code-format'), 'C{YY}{MM}{DD}-{seq:3}');
    expect(preview.textContent).toBe('C261121-001');
    expect(preview.textContent).toBe(formatCustomerCode('C{YY}{MM}{DD}-{seq:3}', new Date(NOW), 1));
  });

  it('blocks save when the format has no {seq}', async () => {
    const { props } = renderOptions();
    input(screen.getByTestId('code-format'), 'KH{YYYY}');
    expect(await screen.findByText('格式必须包含 {seq} 或 {seq:N}')).toBeTruthy();
    fireEvent.click(screen.getByTestId('save-settings'));
    expect(await screen.findByText('请先修正标红的字段')).toBeTruthy();
    expect(props.actions.save).not.toHaveBeenCalled();
  });
});

describe('Options: saving', () => {
  it('saves valid settings that pass the settings schema', async () => {
    const { props } = renderOptions();
    input(screen.getByTestId('code-format'), 'LZ-{seq:5}');
    input(screen.getByTestId('digest-time'), '08:30');
    fireEvent.click(screen.getByTestId('auto-log'));
    fireEvent.change(screen.getByTestId('language'), { target: { value: 'en' } });
    fireEvent.click(screen.getByTestId('save-settings'));
    await waitFor(() => expect(props.actions.save).toHaveBeenCalledTimes(1));
    const saved = vi.mocked(props.actions.save).mock.calls[0]![0];
    expect(saved).toMatchObject({ codeFormat: 'LZ-{seq:5}', digestTime: '08:30', autoLog: true, language: 'en' });
    expect(settingsSchema.safeParse(saved).success).toBe(true);
    expect(await screen.findByText('已保存')).toBeTruthy();
  });

  it('rejects a bad digest time and an out-of-range snooze', async () => {
    const { props } = renderOptions();
    input(screen.getByTestId('digest-time'), '25:00');
    input(screen.getByTestId('snooze-minutes'), '1');
    fireEvent.click(screen.getByTestId('save-settings'));
    expect(await screen.findByText('请输入 HH:MM 格式的时间')).toBeTruthy();
    expect(screen.getByText('请输入 5 到 1440 之间的整数')).toBeTruthy();
    expect(props.actions.save).not.toHaveBeenCalled();
  });

  it('shows a rejected save inline', async () => {
    const d = deferred();
    renderOptions({ actions: actions({ save: vi.fn(() => d.promise) }) });
    const button = screen.getByTestId('save-settings') as HTMLButtonElement;
    fireEvent.click(button);
    await waitFor(() => expect(button.disabled).toBe(true));
    d.reject(new Error('存储已满'));
    expect(await screen.findByText('存储已满')).toBeTruthy();
    expect(button.disabled).toBe(false);
  });

  it('autoLog is off by default and explained', () => {
    renderOptions();
    expect((screen.getByTestId('auto-log') as HTMLInputElement).checked).toBe(false);
    expect(screen.getByText(/默认关闭/)).toBeTruthy();
  });
});

describe('Options: lists', () => {
  it('adds, renames, reorders and removes stages, keeping at least one', async () => {
    const { props } = renderOptions({ settings: settings({ stages: ['甲', '乙'] }) });
    const list = screen.getByTestId('list-stages');
    input(within(list).getByPlaceholderText('新选项'), '丙');
    fireEvent.click(within(list).getByRole('button', { name: '添加' }));
    input(within(list).getByLabelText('客户阶段 1'), '甲2');
    fireEvent.click(within(list).getAllByRole('button', { name: '下移' })[0]!);
    const remove = () => within(list).getAllByRole('button', { name: '删除' });
    fireEvent.click(remove()[2]!);
    fireEvent.click(remove()[1]!);
    expect(remove()).toHaveLength(1);
    expect((remove()[0] as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('save-settings'));
    await waitFor(() => expect(props.actions.save).toHaveBeenCalledTimes(1));
    expect(vi.mocked(props.actions.save).mock.calls[0]![0].stages).toEqual(['乙']);
  });

  it('rejects empty and duplicate items', async () => {
    const { props } = renderOptions({ settings: settings({ sources: ['抖音', '百度'] }) });
    const list = screen.getByTestId('list-sources');
    input(within(list).getByLabelText('来源渠道 2'), '抖音');
    fireEvent.click(screen.getByTestId('save-settings'));
    expect(await within(list).findByText('“抖音” 重复了')).toBeTruthy();
    input(within(list).getByLabelText('来源渠道 2'), '  ');
    expect(await within(list).findByText('选项不能为空')).toBeTruthy();
    expect(props.actions.save).not.toHaveBeenCalled();
  });
});

describe('Options: data', () => {
  it('exports through onDownload with a dated file name and shows counts', async () => {
    const { props } = renderOptions();
    fireEvent.click(screen.getByTestId('export'));
    await waitFor(() => expect(props.onDownload).toHaveBeenCalledWith('liaison-export-20261121.json', '{"customers":[]}'));
    const counts = await screen.findByTestId('export-counts');
    expect(counts.textContent).toContain('12');
    expect(counts.textContent).toContain('客户');
    expect(exportFilename(new Date(2027, 0, 5, 23, 59).getTime())).toBe('liaison-export-20270105.json');
  });

  it('shows an export failure inline and does not download', async () => {
    const { props } = renderOptions({ actions: actions({ exportData: vi.fn(async () => Promise.reject(new Error('数据库被锁定'))) }) });
    fireEvent.click(screen.getByTestId('export'));
    expect(await screen.findByText('数据库被锁定')).toBeTruthy();
    expect(props.onDownload).not.toHaveBeenCalled();
  });

  it('imports in merge mode at once, and asks before replace', async () => {
    const { props } = renderOptions();
    const file = new File(['{"customers":[1,2,3]}'], 'backup.json', { type: 'application/json' });
    fireEvent.change(screen.getByTestId('import-file'), { target: { files: [file] } });
    fireEvent.click(screen.getByTestId('import'));
    await waitFor(() => expect(props.actions.importData).toHaveBeenCalledWith('{"customers":[1,2,3]}', 'merge'));
    expect((await screen.findByTestId('import-counts')).textContent).toContain('3');

    fireEvent.click(screen.getByTestId('import-replace'));
    fireEvent.click(screen.getByTestId('import'));
    expect(screen.getByTestId('replace-warning')).toBeTruthy();
    expect(props.actions.importData).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByTestId('import'));
    await waitFor(() => expect(props.actions.importData).toHaveBeenLastCalledWith('{"customers":[1,2,3]}', 'replace'));
  });

  it('speaks English', () => {
    renderOptions({ t: createT('en') });
    expect(screen.getAllByText('Customer code').length).toBeGreaterThan(0);
    expect(screen.getByText('Export JSON')).toBeTruthy();
  });
});

describe('Options: the nav marks the section being read', () => {
  const marked = () => screen.getByRole('navigation').querySelector('[aria-current="true"]')?.getAttribute('href');
  /** Places each section's top (px from the window's top), as scrolling would. */
  const place = (tops: Record<string, number>) => {
    for (const [id, top] of Object.entries(tops)) {
      const el = document.getElementById(`lzo-${id}`);
      if (el) el.getBoundingClientRect = () => ({ top, bottom: top + 300, left: 0, right: 0, width: 0, height: 300, x: 0, y: top, toJSON: () => ({}) });
    }
  };
  afterEach(() => {
    window.location.hash = '';
  });

  it('opens on the first section and follows scrolling (客户编号 was marked on opening, whatever was on screen)', async () => {
    renderOptions();
    // The first section in the nav (CRM 连接; its list is still loading here, so the page's first section is 客户编号).
    expect(marked()).toBe('#lzo-connections');
    place({ code: 32, team: 900, lists: 1300, reminders: 1700 });
    fireEvent.scroll(window);
    expect(marked()).toBe('#lzo-code');
    place({ code: -200, team: 40, lists: 700, reminders: 1100 });
    fireEvent.scroll(window);
    await waitFor(() => expect(marked()).toBe('#lzo-team'));
    place({ code: -800, team: -560, lists: 60, reminders: 460 });
    fireEvent.scroll(window);
    await waitFor(() => expect(marked()).toBe('#lzo-lists'));
  });

  it('a link to a section (the weekly report notification opens #lzo-reports) opens with it marked; a click marks at once', () => {
    window.location.hash = '#lzo-reminders';
    renderOptions();
    expect(marked()).toBe('#lzo-reminders');
    fireEvent.click(screen.getByRole('navigation').querySelector('a[href="#lzo-privacy"]')!);
    expect(marked()).toBe('#lzo-privacy');
  });
});
