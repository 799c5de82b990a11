// Options → 网站状态: the same causes as the sidebar's banner per site, beside the variant table,
// and 复制页面结构 from an open tab of the site.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SitesHealth, type SiteHealthRow } from '../../../components/options/SitesHealthSection';
import type { CopyOutcome } from '../../../components/sidebar/HealthBanner';
import { createPageT } from '../../../lib/i18n/pages';

afterEach(cleanup);

const SITES = [
  { id: 'whatsapp', host: 'https://web.whatsapp.com/*' },
  { id: 'feishu', host: 'https://*.feishu.cn/*' },
  { id: 'linkedin', host: 'https://www.linkedin.com/messaging/*' },
];
const AT = Date.parse('2026-12-05T08:00:00Z');
const REPORTS: SiteHealthRow[] = [
  {
    site: 'whatsapp',
    ok: false,
    at: AT,
    fields: { root: 'current', pane: 'current', threadKey: null, title: 'current', messageList: 'current' },
    missing: ['threadKey'],
    issues: [
      { cause: 'fields', detail: 'threadKey' },
      { cause: 'idFormat', detail: 'b64-24' },
    ],
  },
  { site: 'feishu', ok: false, at: AT, fields: { root: 'current', threadKey: 'fn', title: 'current', messageList: 'current' }, missing: [], issues: [{ cause: 'weakKey', detail: 'cardClass' }] },
];

function site(id: string) {
  return screen.getAllByTestId('site-health').find((el) => el.getAttribute('data-site') === id)!;
}

describe('网站状态', () => {
  it.each([
    ['zh_CN', '读不了的原因', '找不到：聊天编号（网站可能改版了）', '消息编号的格式不认识（b64-24）', '只读到了聊天名称，尚未确认联系人'],
    ['en', 'Why it could not be read', 'Not found: chat id (the site may have changed)', "Message ids are in a format Liaison doesn't recognise (b64-24)", "Only the chat's name could be read"],
  ] as const)('shows each site’s causes in %s beside its variant table', (locale, heading, fields, idFormat, weak) => {
    render(<SitesHealth t={createPageT(locale)} sites={SITES} reports={REPORTS} />);
    const wa = site('whatsapp');
    expect(wa.getAttribute('data-state')).toBe('failed');
    expect(wa.textContent).toContain(heading);
    expect(wa.querySelector('[data-cause="fields"]')!.textContent).toBe(fields);
    expect(wa.querySelector('[data-cause="idFormat"]')!.textContent).toContain(idFormat);
    // The technical table stays, for us.
    expect(within(wa).getByTestId('site-variants').textContent).toContain('threadKey: —');
    expect(site('feishu').querySelector('[data-cause="weakKey"]')!.textContent).toContain(weak);
    expect(site('linkedin').getAttribute('data-state')).toBe('unseen');
    expect(site('linkedin').querySelector('[data-cause]')).toBeNull();
  });

  it('copies a site’s page structure through its callback, or says to open a tab first', async () => {
    const onCopy = vi.fn(async (id: string): Promise<CopyOutcome> => (id === 'whatsapp' ? { kind: 'copied' } : { kind: 'noTab' }));
    render(<SitesHealth t={createPageT('zh_CN')} sites={SITES} reports={REPORTS} onCopy={onCopy} />);
    fireEvent.click(within(site('whatsapp')).getByTestId('copy-structure'));
    await within(site('whatsapp')).findByTestId('copy-structure-done');
    expect(onCopy).toHaveBeenLastCalledWith('whatsapp');
    fireEvent.click(within(site('linkedin')).getByTestId('copy-structure'));
    expect((await within(site('linkedin')).findByTestId('copy-structure-no-tab')).textContent).toBe('先打开一个 linkedin 的聊天标签页，再复制它的页面结构');
    expect(onCopy).toHaveBeenLastCalledWith('linkedin');
  });

  it('shows the skeleton to copy by hand when the clipboard refuses', async () => {
    const text = 'liaison page skeleton v1\nsite: feishu · area: root (current)\ndiv#root';
    render(<SitesHealth t={createPageT('en')} sites={SITES} reports={REPORTS} onCopy={async () => ({ kind: 'manual', text })} />);
    fireEvent.click(within(site('feishu')).getByTestId('copy-structure'));
    await waitFor(() => expect((within(site('feishu')).getByTestId('copy-structure-text') as HTMLTextAreaElement).value).toBe(text));
  });
});
