// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionForm } from '../../../components/options/ConnectionForm';
import { zhibangSpec } from '../../../lib/crm/zhibang/spec';
import type { CrmSpec } from '../../../lib/crm/spec';
import { createPageT } from '../../../lib/i18n/pages';

afterEach(cleanup);

const existing = {
  id: 'zb1',
  kind: 'zhibang',
  name: '智邦ERP',
  enabled: true,
  settings: { host: 'https://erp.example.com', user: 'sales01', defaultSource: '1001' },
  storedSecrets: ['password'],
  createdAt: 0,
};
const actions = (choices?: (id: string, field: string) => Promise<{ value: string; label: string }[]>) => ({
  save: vi.fn(async () => undefined),
  test: vi.fn(async () => ({})),
  ...(choices ? { choices } : {}),
});

describe('ConnectionForm: values the CRM lists', () => {
  it("offers 默认客户来源 from the ERP's list once the connection is saved, naming the current one", async () => {
    const choices = vi.fn(async (_id: string, _field: string) => [
      { value: '1001', label: '微信咨询' },
      { value: '173', label: '陌生开发' },
    ]);
    render(<ConnectionForm t={createPageT('zh_CN')} spec={zhibangSpec as CrmSpec} existing={existing} actions={actions(choices)} onDone={() => undefined} />);
    await waitFor(() => expect(screen.getByTestId('conn-choice-defaultSource').textContent).toBe('微信咨询'));
    expect(choices).toHaveBeenCalledWith('zb1', 'defaultSource');
    const input = screen.getByTestId('conn-field-defaultSource') as HTMLInputElement;
    const list = document.getElementById(input.getAttribute('list')!)!;
    expect([...list.querySelectorAll('option')].map((o) => [o.getAttribute('value'), o.textContent])).toEqual([
      ['1001', '微信咨询'],
      ['173', '陌生开发'],
    ]);
  });

  it('asks nothing for a new connection, and a CRM that cannot answer leaves the plain field', async () => {
    const choices = vi.fn(async () => {
      throw new Error('ERP unreachable');
    });
    render(<ConnectionForm t={createPageT('zh_CN')} spec={zhibangSpec as CrmSpec} actions={actions(choices)} onDone={() => undefined} />);
    expect(choices).not.toHaveBeenCalled();
    cleanup();
    render(<ConnectionForm t={createPageT('zh_CN')} spec={zhibangSpec as CrmSpec} existing={existing} actions={actions(choices)} onDone={() => undefined} />);
    await waitFor(() => expect(choices).toHaveBeenCalled());
    expect(screen.queryByTestId('conn-choice-defaultSource')).toBeNull();
    expect((screen.getByTestId('conn-field-defaultSource') as HTMLInputElement).value).toBe('1001');
  });
});
