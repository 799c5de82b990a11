// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StrategySection } from '../../../components/options/StrategySection';
import { createPageT } from '../../../lib/i18n/pages';
import type { Strategy } from '../../../lib/strategy/schema';

afterEach(cleanup);

const connections = [
  { id: 'a', name: '智邦主' },
  { id: 'b', name: '智邦备' },
];

describe('StrategySection', () => {
  it('saves primary-backup with the chosen connections, minutes and sync back', async () => {
    const save = vi.fn(async (_s: Strategy) => undefined);
    render(<StrategySection t={createPageT('zh_CN')} connections={connections} value={{ mode: 'parallel' }} save={save} />);
    fireEvent.change(screen.getByTestId('strategy-mode'), { target: { value: 'primary-backup' } });
    fireEvent.change(screen.getByTestId('strategy-primary'), { target: { value: 'b' } });
    fireEvent.change(screen.getByTestId('strategy-backup'), { target: { value: 'a' } });
    fireEvent.input(screen.getByTestId('strategy-failover'), { target: { value: '3' } });
    fireEvent.click(screen.getByTestId('strategy-syncback'));
    fireEvent.click(screen.getByTestId('strategy-save'));
    await waitFor(() => expect(save).toHaveBeenCalledWith({ mode: 'primary-backup', primary: 'b', backup: 'a', failoverAfterMinutes: 3, syncBack: false }));
    await screen.findByTestId('strategy-saved');
  });

  it('refuses the same connection as primary and backup', () => {
    const save = vi.fn(async () => undefined);
    render(<StrategySection t={createPageT('en')} connections={connections} value={{ mode: 'primary-backup', primary: 'a', backup: 'b', failoverAfterMinutes: 10, syncBack: true }} save={save} />);
    fireEvent.change(screen.getByTestId('strategy-backup'), { target: { value: 'a' } });
    expect(screen.getByTestId('strategy-invalid')).toBeTruthy();
    expect((screen.getByTestId('strategy-save') as HTMLButtonElement).disabled).toBe(true);
  });

  it('saves routing per category and the default', async () => {
    const save = vi.fn(async (_s: Strategy) => undefined);
    render(<StrategySection t={createPageT('zh_CN')} connections={connections} value={{ mode: 'routing', routes: {}, default: [] }} save={save} />);
    fireEvent.click(screen.getByTestId('strategy-route-0').querySelector('input[value="a"]')!);
    fireEvent.click(screen.getByTestId('strategy-route-default').querySelector('input[value="b"]')!);
    fireEvent.click(screen.getByTestId('strategy-save'));
    await waitFor(() => expect(save).toHaveBeenCalledWith({ mode: 'routing', routes: { 销售线索: ['a'] }, default: ['b'] }));
  });

  it('shows a save error inline', async () => {
    render(<StrategySection t={createPageT('zh_CN')} connections={connections} value={{ mode: 'parallel' }} save={async () => Promise.reject(new Error('bad'))} />);
    fireEvent.click(screen.getByTestId('strategy-save'));
    expect((await screen.findByTestId('strategy-error')).textContent).toContain('bad');
  });
});
