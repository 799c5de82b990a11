// @vitest-environment happy-dom
// 数据 → import: limits before reading, the report of what was not carried over, progress.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DataSection, type DataActions } from '../../../components/options/DataSection';
import { REPORT_NOTICES } from '../../../components/options/data-texts';
import { REPORT } from '../../../lib/customers/export';
import { BACKUP_LIMITS } from '../../../lib/customers/backup-limits';
import { createPageT } from '../../../lib/i18n/pages';
import { deferred, NOW } from './fixtures';

afterEach(cleanup);

function setup(actions: Partial<DataActions>, locale: 'zh_CN' | 'en' = 'zh_CN') {
  const all: DataActions = { exportData: vi.fn(), importData: vi.fn(async () => ({ customers: 1 })), ...actions };
  render(<DataSection t={createPageT(locale)} actions={all} onDownload={vi.fn()} now={NOW} />);
  return all;
}

function choose(file: File) {
  fireEvent.change(screen.getByTestId('import-file'), { target: { files: [file] } });
  fireEvent.click(screen.getByTestId('import'));
}

describe('DataSection import', () => {
  it('refuses a file over the limit without reading or sending it, in Chinese', async () => {
    const actions = setup({});
    const file = new File(['{}'], 'huge.json');
    Object.defineProperty(file, 'size', { value: BACKUP_LIMITS.fileBytes + 1 });
    const text = vi.spyOn(file, 'text');
    choose(file);
    expect((await screen.findByRole('alert')).textContent).toBe('文件太大（40.0 MB），上限为 40 MB。未导入任何数据。');
    expect(text).not.toHaveBeenCalled();
    expect(actions.importData).not.toHaveBeenCalled();
  });

  it('says, in English, what was not carried over and why', async () => {
    setup({ importData: vi.fn(async () => ({ customers: 2, connections: 1, [REPORT.secretsDropped]: 1, [REPORT.chatUrlsDropped]: 3, [REPORT.settingsDropped]: 0 })) }, 'en');
    choose(new File(['{}'], 'backup.json'));
    expect((await screen.findByTestId(`import-${REPORT.secretsDropped}`)).textContent).toContain('the secrets stored for them were deleted and they are switched off');
    expect(screen.getByTestId(`import-${REPORT.chatUrlsDropped}`).textContent).toContain('3 chat address(es)');
    expect(screen.queryByTestId(`import-${REPORT.settingsDropped}`)).toBeNull();
    // The report keys are notices, not table counts.
    expect(screen.getByTestId('import-counts').textContent).not.toContain('report.');
  });

  it('explains every key of the import report', () => {
    expect([...REPORT_NOTICES].sort()).toEqual(Object.values(REPORT).sort());
  });

  it('shows the progress the background reports while it writes', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const done = deferred<Record<string, number>>();
      setup({ importData: vi.fn(() => done.promise), importProgress: vi.fn(async () => ({ done: 2000, total: 5000 })) });
      choose(new File(['{}'], 'backup.json'));
      await waitFor(() => expect(screen.getByTestId('import-progress').textContent).toBe('正在检查并导入…'));
      await vi.advanceTimersByTimeAsync(600);
      await waitFor(() => expect(screen.getByTestId('import-progress').textContent).toBe('正在导入… 2000 / 5000'));
      done.resolve({ customers: 5000 });
      await waitFor(() => expect(screen.queryByTestId('import-progress')).toBeNull());
    } finally {
      vi.useRealTimers();
    }
  });
});
