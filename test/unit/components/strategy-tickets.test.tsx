// @vitest-environment happy-dom
// 工单去向 in the strategy section (issue 17): ticket routes per ticket category, kept beside
// any mode, the local CRM among the choices; empty categories are not saved.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StrategySection } from '../../../components/options/StrategySection';
import { createPageT } from '../../../lib/i18n/pages';
import type { Strategy } from '../../../lib/strategy/schema';

afterEach(cleanup);

const connections = [
  { id: 'zd', name: 'Zendesk' },
  { id: 'jira', name: 'Jira' },
];

describe('StrategySection ticket routes', () => {
  it('saves 售后 → Zendesk and the local CRM, 技术支持 → Jira, with the parallel mode', async () => {
    const save = vi.fn(async (_s: Strategy) => undefined);
    render(<StrategySection t={createPageT('zh_CN')} connections={connections} value={{ mode: 'parallel' }} save={save} />);
    const afterSales = screen.getByTestId('strategy-route-ticket-0');
    expect(afterSales.closest('div')?.textContent).toContain('售后');
    expect(afterSales.textContent).toContain('本地 CRM');
    fireEvent.click(afterSales.querySelector('input[value="zd"]')!);
    fireEvent.click(afterSales.querySelector('input[value="local"]')!);
    fireEvent.click(screen.getByTestId('strategy-route-ticket-1').querySelector('input[value="jira"]')!);
    // Ticked and unticked again: not saved as an empty route.
    const feedback = screen.getByTestId('strategy-route-ticket-3').querySelector('input[value="jira"]')!;
    fireEvent.click(feedback);
    fireEvent.click(feedback);
    fireEvent.click(screen.getByTestId('strategy-save'));
    await waitFor(() => expect(save).toHaveBeenCalledWith({ mode: 'parallel', ticketRoutes: { 售后: ['zd', 'local'], 技术支持: ['jira'] } }));
  });

  it('keeps stored ticket routes when the mode changes, and shows them in English', async () => {
    const save = vi.fn(async (_s: Strategy) => undefined);
    render(<StrategySection t={createPageT('en')} connections={connections} value={{ mode: 'parallel', ticketRoutes: { 客户服务: ['zd'] } }} save={save} />);
    expect(screen.getByTestId('strategy-tickets').textContent).toContain('Where tickets go');
    expect((screen.getByTestId('strategy-route-ticket-2').querySelector('input[value="zd"]') as HTMLInputElement).checked).toBe(true);
    fireEvent.change(screen.getByTestId('strategy-mode'), { target: { value: 'routing' } });
    fireEvent.click(screen.getByTestId('strategy-save'));
    await waitFor(() => expect(save).toHaveBeenCalledWith({ mode: 'routing', routes: {}, default: [], ticketRoutes: { 客户服务: ['zd'] } }));
  });
});
