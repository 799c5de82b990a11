// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DealList, Suggestions, type SuggestionsProps } from '../../../components/sidebar/Suggestions';
import { createT } from '../../../lib/i18n';
import type { Suggestions as Data } from '../../../lib/suggest/schema';
import { HOUR, NOW } from './fixtures';

afterEach(cleanup);

const prefill = { method: '微信' as const, content: '想了解经营贷利率', messageIds: ['m1'] };
const data = (items: Data['items'], over: Partial<Data> = {}): Data => ({ items, autoLog: { active: false, never: false }, summarySource: 'extractive', understoodAt: NOW, ...over });

function setup(d: Data, over: Partial<SuggestionsProps> = {}) {
  const props: SuggestionsProps = {
    t: createT('zh_CN'),
    suggestions: d,
    createDeal: vi.fn(async () => undefined),
    setNextFollowUp: vi.fn(async () => undefined),
    logFollowUp: vi.fn(async () => undefined),
    setNeverLog: vi.fn(async () => undefined),
    ...over,
  };
  render(<Suggestions {...props} />);
  return props;
}

describe('Suggestions', () => {
  it.each([
    [{ kind: 'deal', id: 'd', product: '经营贷', amount: 500_000, amountText: '50万', term: '利率' }, '客户询价：经营贷 50万 — 创建成交?'],
    [{ kind: 'deal', id: 'd', term: '报价' }, '客户询价：报价 — 创建成交?'],
    [{ kind: 'ticket', id: 't', complaintKind: 'complaint', term: '投诉', followUp: prefill }, '客户投诉（投诉）— 售后工单?'],
    [{ kind: 'log', id: 'l', followUp: prefill }, '记录本次沟通：想了解经营贷利率'],
  ] as [Data['items'][number], string][])('shows %o as text', (s, text) => {
    setup(data([s]));
    expect(screen.getByTestId('suggestion').textContent).toContain(text);
  });

  it('accepting a deal creates it with product and amount', async () => {
    const p = setup(data([{ kind: 'deal', id: 'd', product: '经营贷', amount: 500_000, amountText: '50万', term: '利率' }]));
    fireEvent.click(screen.getByTestId('suggestion-accept'));
    await waitFor(() => expect(p.createDeal).toHaveBeenCalledWith({ product: '经营贷', amount: 500_000 }));
  });

  it('accepting a next time sets it; accepting a log logs the prefilled record with its message ids', async () => {
    const p = setup(data([{ kind: 'next', id: 'n', at: NOW + HOUR, text: '明天15:00' }, { kind: 'log', id: 'l', followUp: prefill }]));
    const [next, log] = screen.getAllByTestId('suggestion-accept');
    fireEvent.click(next!);
    fireEvent.click(log!);
    await waitFor(() => expect(p.setNextFollowUp).toHaveBeenCalledWith(NOW + HOUR));
    await waitFor(() => expect(p.logFollowUp).toHaveBeenCalledWith({ method: '微信', content: '想了解经营贷利率', messageIds: ['m1'] }));
  });

  it('dismiss hides a suggestion; a failed accept shows its error', async () => {
    setup(data([{ kind: 'deal', id: 'd', term: '报价' }]), { createDeal: vi.fn(async () => Promise.reject(new Error('boom'))) });
    fireEvent.click(screen.getByTestId('suggestion-accept'));
    await screen.findByText('boom');
    fireEvent.click(screen.getByTestId('suggestion-dismiss'));
    expect(screen.queryByTestId('suggestion')).toBeNull();
  });

  it('toggles never-log and says when auto-logging is on', async () => {
    const p = setup(data([], { autoLog: { active: true, never: false } }));
    expect(screen.getByTestId('autolog-on')).toBeTruthy();
    fireEvent.click(screen.getByTestId('never-log'));
    await waitFor(() => expect(p.setNeverLog).toHaveBeenCalledWith(true));
  });

  it('lists deals', () => {
    render(<DealList t={createT('zh_CN')} deals={[{ id: 'd1', customerId: 'c1', product: '经营贷', amount: 500_000, status: '进行中', createdAt: NOW }]} />);
    expect(screen.getByTestId('deal-item').textContent).toContain('经营贷');
    expect(screen.getByTestId('deal-item').textContent).toContain('500,000');
  });
});
