// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportWizard, type ImportWizardProps } from '../../../components/customers/ImportWizard';
import { createPageT as createT } from '../../../lib/i18n/pages';
import { parseSheet } from '../../../lib/sheets/parse';
import type { ImportPlan } from '../../../lib/sheets/import';

afterEach(cleanup);

const sheet = parseSheet([
  ['2026 线索', null, null],
  ['客户名称', '手机号', '随便一列'],
  ['张三', 13800138000, 'x'],
  ['李四', '12345', 'y'],
]);
const plan: ImportPlan = {
  toCreate: [{ row: 3, alsoRows: [], fields: { name: '张三', phones: ['+8613800138000'] } }],
  toMerge: [],
  skipped: [{ row: 4, reason: 'invalid-phone', detail: '12345' }],
  failed: [],
};

function setup(over: Partial<ImportWizardProps> = {}) {
  const props: ImportWizardProps = {
    t: createT('zh_CN'),
    onFile: vi.fn(async () => sheet),
    plan: vi.fn(async () => plan),
    apply: vi.fn(async () => ({ importId: 'imp1', counts: { created: 1, merged: 0, skipped: 1, failed: 0 }, failed: [] })),
    undo: vi.fn(async () => ({ removed: 1, reverted: 0, kept: [], remoteKept: 0 })),
    ...over,
  };
  return { ...render(<ImportWizard {...props} />), props };
}

describe('ImportWizard', () => {
  it('walks file → mapping with preview → dry run → apply → report → undo', async () => {
    const { props } = setup();
    const file = new File(['x'], 'leads.xlsx');
    fireEvent.change(screen.getByTestId('import-file'), { target: { files: [file] } });
    await screen.findByTestId('import-preview');
    expect(props.onFile).toHaveBeenCalledWith(file);
    expect((screen.getByTestId('map-0') as HTMLSelectElement).value).toBe('name');
    expect((screen.getByTestId('map-1') as HTMLSelectElement).value).toBe('phones');
    expect((screen.getByTestId('map-2') as HTMLSelectElement).value).toBe('');
    expect(screen.getByTestId('import-preview').textContent).toContain('13800138000');

    fireEvent.change(screen.getByTestId('map-2'), { target: { value: 'notes' } });
    fireEvent.click(screen.getByTestId('import-plan'));
    await screen.findByTestId('import-plan-summary');
    expect(props.plan).toHaveBeenCalledWith(sheet, ['name', 'phones', 'notes']);
    expect(screen.getByTestId('count-created').textContent).toContain('1');
    expect(screen.getByText(/第 4 行：电话号码无效（12345）/)).toBeTruthy();

    fireEvent.click(screen.getByTestId('import-apply'));
    const report = await screen.findByTestId('import-report');
    expect(props.apply).toHaveBeenCalledWith(plan);
    expect(report.querySelector('[data-testid="count-created"]')!.textContent).toContain('已新建1');
    expect(report.querySelector('[data-testid="count-skipped"]')!.textContent).toContain('1');

    fireEvent.click(screen.getByTestId('import-undo'));
    await waitFor(() => expect(props.undo).toHaveBeenCalledWith('imp1'));
    expect((await screen.findByTestId('import-undone')).textContent).toContain('删除 1 位');
  });

  it('needs a name column before planning, and shows a failed read', async () => {
    setup({ initialSheet: parseSheet([['A', 'B'], ['1', '2']]) });
    expect((screen.getByTestId('import-plan') as HTMLButtonElement).disabled).toBe(true);
    cleanup();
    setup({ onFile: vi.fn(async () => Promise.reject(new Error('不是 xlsx 文件'))) });
    fireEvent.change(screen.getByTestId('import-file'), { target: { files: [new File(['x'], 'a.txt')] } });
    expect(await screen.findByText('不是 xlsx 文件')).toBeTruthy();
  });

  it('speaks English', () => {
    setup({ t: createT('en'), initialSheet: sheet });
    expect(screen.getByTestId('import-wizard').textContent).toContain('Map columns');
    expect(screen.getByTestId('import-plan').textContent).toBe('Check (writes nothing)');
  });
});
