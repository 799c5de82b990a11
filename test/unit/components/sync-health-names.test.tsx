// @vitest-environment happy-dom
// Issue 14: a long unbroken connection or customer name overflowed the sync-health title; names
// with bidi overrides changed what was displayed.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SyncHealthPage } from '../../../components/sync-health/SyncHealthPage';
import { SyncHealthList } from '../../../components/sync-health/SyncHealthList';
import { createPageT } from '../../../lib/i18n/pages';
import { BIDI_MARKER } from '../../../lib/i18n/bidi';
import type { SyncEntriesView } from '../../../lib/sync/messages';
import { HOUR, NOW } from './fixtures';

const LONG = 'x'.repeat(400);
const CSS = readFileSync(resolve(import.meta.dirname, '../../../components/sync-health/sync-health.css'), 'utf8');

beforeAll(() => {
  const style = document.createElement('style');
  style.textContent = CSS;
  document.head.append(style);
});
afterEach(cleanup);

function view(name: string, customerName: string): SyncEntriesView {
  return {
    health: { connectionId: 'zb', name, kind: 'zhibang', enabled: true, queued: 1, inflight: 0, failed: 0, failures: [], breaker: { state: 'closed' } },
    entries: [{ id: 'p1', op: 'customer.create', state: 'pending', attempts: 0, createdAt: NOW - HOUR, nextAttemptAt: NOW + HOUR, customer: { id: 'c1', name: customerName, code: 'KH2026-0007' } }],
    total: { queued: 1, inflight: 0, failed: 0 },
  } as SyncEntriesView;
}

const renderPage = (name: string, customerName = '王小明') =>
  render(
    <div class="lzh">
      <SyncHealthPage t={createPageT('zh_CN')} now={NOW} view={view(name, customerName)} kindName="智邦ERP" actions={{ retryAll: vi.fn(), retryEntry: vi.fn(), discardEntry: vi.fn() }} />
    </div>,
  );

describe('sync health: names', () => {
  it('a long unbroken connection name may wrap anywhere in the title', () => {
    renderPage(LONG);
    const title = screen.getByTestId('health-title');
    expect(title.textContent).toContain(LONG);
    expect(getComputedStyle(title).overflowWrap).toBe('anywhere');
    expect(['0', '0px']).toContain(getComputedStyle(title).minWidth);
  });

  it('a long unbroken customer name may wrap anywhere in its entry', () => {
    renderPage('智邦 ERP', LONG);
    const customer = screen.getByTestId('health-entry-customer');
    expect(customer.textContent).toContain(LONG);
    expect(getComputedStyle(customer).overflowWrap).toBe('anywhere');
  });

  it('in the list too', () => {
    const { container } = render(
      <div class="lzh">
        <SyncHealthList t={createPageT('zh_CN')} now={NOW} connections={[{ id: 'zb', name: LONG, kind: 'zhibang', kindName: '智邦ERP', enabled: true, queued: 0, inflight: 0, failed: 0 } as never]} hrefFor={(id) => `#${id}`} />
      </div>,
    );
    const name = container.querySelector('.lzh-name')!;
    expect(name.textContent).toBe(LONG);
    expect(getComputedStyle(name).overflowWrap).toBe('anywhere');
  });

  it('override characters in names are shown neutralised, each name isolated', () => {
    renderPage('Sales\u202Eput', '\u202E王经理\u2066');
    const title = screen.getByTestId('health-title');
    expect(title.textContent).toBe(`同步状态 · Sales${BIDI_MARKER}put`);
    expect(title.querySelector('bdi')?.textContent).toBe(`Sales${BIDI_MARKER}put`);
    expect(screen.getByTestId('health-entry-customer').querySelector('bdi')?.textContent).toBe(`${BIDI_MARKER}王经理${BIDI_MARKER}`);
  });
});
