// @vitest-environment happy-dom
// The leads review: the page's target choice sits beside the import button, and leads that
// failed to import stay picked so a retry is one click.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, expect, it, vi } from 'vitest';
import { LeadReview } from '../../../components/leads/LeadReview';
import { leadTexts } from '../../../components/leads/texts';
import type { LeadReview as Review } from '../../../lib/leads/review';

afterEach(cleanup);

const review: Review = {
  id: 'r1',
  at: 0,
  url: 'https://example.com/search',
  title: '搜索结果',
  leads: [
    { id: 1, name: '张伟', nameFound: true, phones: ['+8613800138000'], invalidPhones: [], content: '想了解贷款', status: 'new' },
    { id: 2, name: '李娜', nameFound: true, phones: ['+8613900139000'], invalidPhones: [], content: '利率多少', status: 'new' },
  ],
  counts: { new: 2, 'duplicate-local': 0, 'duplicate-page': 0, invalid: 0 },
};
const result = (failed: number) => ({ plan: { skipped: [], failed: [] }, result: { importId: 'i', counts: { created: 2 - failed, merged: 0, skipped: 0, failed }, failed: [] }, imported: 2 - failed });

it('shows the actions beside the import button; failed leads stay picked, a clean import clears the picks', async () => {
  const onImport = vi.fn().mockResolvedValueOnce(result(1)).mockResolvedValueOnce(result(0));
  render(<LeadReview t={leadTexts('zh')} review={review} sources={[]} onImport={onImport} actions={<select data-testid="target" />} />);
  const button = screen.getByTestId('lead-import');
  expect(screen.getByTestId('target').nextElementSibling).toBe(button);
  const picks = () => screen.getAllByTestId('lead-pick').map((e) => (e as HTMLInputElement).checked);
  expect(picks()).toEqual([true, true]);
  fireEvent.click(button);
  await waitFor(() => expect(screen.getByTestId('lead-result')).toBeTruthy());
  expect(picks()).toEqual([true, true]);
  fireEvent.click(screen.getByTestId('lead-import'));
  await waitFor(() => expect(onImport).toHaveBeenCalledTimes(2));
  await waitFor(() => expect(picks()).toEqual([false, false]));
});
