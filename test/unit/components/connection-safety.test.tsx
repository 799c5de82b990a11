// @vitest-environment happy-dom
// Issue 14: removing a connection silently discarded its queued changes; a plain-http CRM host
// got no warning.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionsSection, type ConnectionsActions } from '../../../components/options/ConnectionsSection';
import { ConnectionForm, isPlainHttp } from '../../../components/options/ConnectionForm';
import { zhibangSpec } from '../../../lib/crm/zhibang/spec';
import { nocodbSpec } from '../../../lib/crm/nocodb/spec';
import type { CrmSpec } from '../../../lib/crm/spec';
import type { ConnectionView } from '../../../lib/connections/views';
import { createPageT } from '../../../lib/i18n/pages';

afterEach(cleanup);

const view = (id: string, kind: string): ConnectionView => ({ id, kind, name: id, enabled: true, settings: {}, storedSecrets: [], createdAt: 0 });

function section(health: { queued: number; failed: number }, over: Partial<ConnectionsActions> = {}, locale: 'zh_CN' | 'en' = 'zh_CN') {
  const actions: ConnectionsActions = {
    prepare: vi.fn(async () => ({ created: [], problems: [], usable: true })),
    setEnabled: vi.fn(async () => undefined),
    remove: vi.fn(async () => undefined),
    retryAll: vi.fn(async () => undefined),
    exportUnsent: vi.fn(async () => health.queued + health.failed),
    save: vi.fn(async () => undefined),
    test: vi.fn(async () => ({})),
    ...over,
  };
  render(<ConnectionsSection t={createPageT(locale)} specs={[]} connections={[view('zb', 'zhibang')]} health={{ zb: health }} actions={actions} />);
  return actions;
}

describe('removing a connection with unsent changes', () => {
  it('says how many changes would be lost, and removes only on the explicit discard', async () => {
    const actions = section({ queued: 2, failed: 3 });
    fireEvent.click(screen.getByTestId('conn-remove'));
    expect(screen.getByTestId('conn-remove-unsent').textContent).toBe('这个连接还有 5 条未发送的更改。移除连接会丢弃它们，CRM 将收不到。');
    expect(screen.getByTestId('conn-remove-confirm').textContent).toBe('仍然移除并丢弃 5 条更改');
    expect(actions.remove).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('conn-remove-confirm'));
    await waitFor(() => expect(actions.remove).toHaveBeenCalledWith('zb'));
  });

  it('offers to send them first (retry now) instead', async () => {
    const actions = section({ queued: 1, failed: 0 }, {}, 'en');
    fireEvent.click(screen.getByTestId('conn-remove'));
    fireEvent.click(screen.getByTestId('conn-remove-send-first'));
    await waitFor(() => expect(actions.retryAll).toHaveBeenCalledWith('zb'));
    await waitFor(() => expect(screen.queryByTestId('conn-remove-unsent')).toBeNull());
    expect(actions.remove).not.toHaveBeenCalled();
  });

  it('offers to export them as JSON, and says how many were exported', async () => {
    const actions = section({ queued: 0, failed: 4 }, {}, 'en');
    fireEvent.click(screen.getByTestId('conn-remove'));
    fireEvent.click(screen.getByTestId('conn-remove-export'));
    await waitFor(() => expect(actions.exportUnsent).toHaveBeenCalledWith('zb'));
    expect((await screen.findByTestId('conn-remove-exported')).textContent).toBe('Exported 4 unsent change(s).');
    expect(actions.remove).not.toHaveBeenCalled();
  });

  it('with nothing unsent, asks the usual one-step confirmation', () => {
    section({ queued: 0, failed: 0 });
    fireEvent.click(screen.getByTestId('conn-remove'));
    expect(screen.queryByTestId('conn-remove-unsent')).toBeNull();
    expect(screen.queryByTestId('conn-remove-send-first')).toBeNull();
    expect(screen.getByTestId('conn-remove-confirm').textContent).toBe('确认移除（CRM 中的记录会保留）');
  });
});

describe('plain http CRM hosts', () => {
  const actions = { save: vi.fn(async () => undefined), test: vi.fn(async () => ({})) };

  it.each([
    ['http://192.168.1.20:8080', true],
    ['HTTP://erp.lan/', true],
    ['https://erp.example.com', false],
    ['erp.example.com', false],
    ['', false],
  ])('isPlainHttp(%s) = %s', (value, expected) => expect(isPlainHttp(value)).toBe(expected));

  it.each([
    ['智邦 (host field)', zhibangSpec, 'host'],
    ['NocoDB (host field)', nocodbSpec, 'host'],
  ])('%s: warns while the address is http://, not once it is https://', (_label, spec, key) => {
    render(<ConnectionForm t={createPageT('zh_CN')} spec={spec as CrmSpec} actions={actions} onDone={() => undefined} />);
    const input = screen.getByTestId(`conn-field-${key}`);
    fireEvent.input(input, { target: { value: 'http://192.168.1.20:8080' } });
    expect(screen.getByTestId(`conn-http-warning-${key}`).textContent).toContain('http://（未加密）');
    fireEvent.input(input, { target: { value: 'https://erp.example.com' } });
    expect(screen.queryByTestId(`conn-http-warning-${key}`)).toBeNull();
  });
});
