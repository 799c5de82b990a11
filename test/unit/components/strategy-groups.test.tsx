// @vitest-environment happy-dom
// 同时发到群 in the strategy section (seed 004's parallel example posts to a team channel too):
// per event the robots picked, kept beside the mode, empty events not saved, hidden without robots.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StrategySection } from '../../../components/options/StrategySection';
import { createPageT } from '../../../lib/i18n/pages';
import type { Strategy } from '../../../lib/strategy/schema';

afterEach(cleanup);

describe('StrategySection group posts', () => {
  it('saves 新工单 → the support group beside the parallel mode; an event ticked and unticked is left out', async () => {
    const save = vi.fn(async (_s: Strategy) => undefined);
    render(<StrategySection t={createPageT('zh_CN')} connections={[{ id: 'sf', name: 'Salesforce' }]} robots={[{ id: 'slack1', name: '#customer-support' }]} value={{ mode: 'parallel' }} save={save} />);
    expect(screen.getByTestId('strategy-groups').textContent).toContain('同时发到群');
    fireEvent.click(screen.getByTestId('strategy-route-group-ticket').querySelector('input[value="slack1"]')!);
    const lead = screen.getByTestId('strategy-route-group-newLead').querySelector('input[value="slack1"]')!;
    fireEvent.click(lead);
    fireEvent.click(lead);
    fireEvent.click(screen.getByTestId('strategy-save'));
    await waitFor(() => expect(save).toHaveBeenCalledWith({ mode: 'parallel', groupPosts: { ticket: ['slack1'] } }));
  });

  it('no robots: no group section, stored posts kept as they are', async () => {
    const save = vi.fn(async (_s: Strategy) => undefined);
    render(<StrategySection t={createPageT('en')} connections={[]} value={{ mode: 'parallel', groupPosts: { newLead: ['r1'] } }} save={save} />);
    expect(screen.queryByTestId('strategy-groups')).toBeNull();
    fireEvent.click(screen.getByTestId('strategy-save'));
    await waitFor(() => expect(save).toHaveBeenCalledWith({ mode: 'parallel', groupPosts: { newLead: ['r1'] } }));
  });
});
