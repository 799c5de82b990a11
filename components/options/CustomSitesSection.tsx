// 自定义网站: chat sites the user teaches Liaison, as data (a URL pattern and CSS selectors,
// exportable JSON). Pure: the entrypoint asks for the host permission from the click, saves
// through the background and runs the check on an open tab.
import { useState } from 'preact/hooks';
import type { CustomSiteDef, CustomSiteSelectors } from '../../lib/custom-sites/definition';
import type { CustomSiteCheck } from '../../lib/custom-sites/messages';

export interface CustomSitesActions {
  save(site: CustomSiteDef): Promise<void>;
  remove(id: string): Promise<void>;
  check(pattern: string, selectors: CustomSiteSelectors): Promise<CustomSiteCheck>;
}

export interface CustomSitesProps {
  locale: string;
  sites: readonly CustomSiteDef[];
  actions: CustomSitesActions;
  onDownload(filename: string, json: string): void;
}

const FIELDS: { key: keyof CustomSiteSelectors; zh: string; en: string; required?: boolean; hint: string }[] = [
  { key: 'title', zh: '会话标题（联系人名）', en: 'Conversation title (contact name)', required: true, hint: '.chat-header .name' },
  { key: 'messageList', zh: '消息列表', en: 'Message list', hint: '.messages' },
  { key: 'messageRow', zh: '消息行', en: 'Message row', required: true, hint: '.message' },
  { key: 'outgoing', zh: '我发出的消息（行的类）', en: 'Outgoing row (class)', hint: '.message.mine' },
  { key: 'text', zh: '消息文字', en: 'Message text', hint: '.bubble-text' },
  { key: 'time', zh: '消息时间', en: 'Message time', hint: 'time' },
  { key: 'contact', zh: '联系人电话或ID', en: "Contact's phone or id", hint: '.chat-header .phone' },
];

const empty = (): CustomSiteDef => ({ id: '', name: '', pattern: '', selectors: { title: '', messageRow: '' } });

export function CustomSitesSection({ locale, sites, actions, onDownload }: CustomSitesProps) {
  const zh = locale === 'zh_CN';
  const L = (z: string, e: string) => (zh ? z : e);
  const [draft, setDraft] = useState<CustomSiteDef>(empty);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [check, setCheck] = useState<CustomSiteCheck | null>(null);

  const setSel = (k: keyof CustomSiteSelectors, v: string) => {
    const selectors = { ...draft.selectors } as Record<string, string>;
    if (v) selectors[k] = v;
    else if (k !== 'title' && k !== 'messageRow') delete selectors[k];
    else selectors[k] = '';
    setDraft({ ...draft, selectors: selectors as unknown as CustomSiteSelectors });
  };
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const valid = draft.name.trim() && draft.pattern.trim() && draft.selectors.title.trim() && draft.selectors.messageRow.trim();

  return (
    <div class="lzo-custom-sites" data-testid="custom-sites">
      <p class="lzo-desc">
        {L(
          '让联络读取其他网页聊天：填写网址规则和页面元素的 CSS 选择器。只会请求这个网站的访问权限。',
          'Let Liaison read another web chat: a URL pattern and CSS selectors for its elements. Only that site’s access is requested.',
        )}
      </p>
      {sites.length > 0 && (
        <ul class="lzo-list" data-testid="custom-site-list">
          {sites.map((s) => (
            <li key={s.id} data-testid="custom-site">
              <strong>{s.name}</strong> <code>{s.pattern}</code>{' '}
              <button type="button" onClick={() => setDraft(structuredClone(s))}>
                {L('编辑', 'Edit')}
              </button>{' '}
              <button type="button" onClick={() => void run(() => actions.remove(s.id))}>
                {L('删除', 'Remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="lzo-form">
        <label>
          {L('名称', 'Name')} <input data-testid="cs-name" value={draft.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
        </label>
        <label>
          {L('网址规则', 'URL pattern')}{' '}
          <input data-testid="cs-pattern" placeholder="https://chat.example.com/*" value={draft.pattern} onInput={(e) => setDraft({ ...draft, pattern: e.currentTarget.value })} />
        </label>
        {FIELDS.map((f) => (
          <label key={f.key}>
            {zh ? f.zh : f.en}
            {f.required ? ' *' : ''}{' '}
            <input data-testid={`cs-${f.key}`} placeholder={f.hint} value={draft.selectors[f.key] ?? ''} onInput={(e) => setSel(f.key, e.currentTarget.value.trim())} />
          </label>
        ))}
        <div class="lzo-actions">
          <button
            type="button"
            data-testid="cs-check"
            disabled={busy || !draft.pattern || !valid}
            onClick={() => void run(async () => setCheck(await actions.check(draft.pattern.trim(), draft.selectors)))}
          >
            {L('在打开的页面上检查', 'Check against the open tab')}
          </button>
          <button
            type="button"
            class="lzo-primary"
            data-testid="cs-save"
            disabled={busy || !valid}
            onClick={() =>
              void run(async () => {
                const id = draft.id || Math.random().toString(36).slice(2, 10);
                await actions.save({ ...draft, id, name: draft.name.trim(), pattern: draft.pattern.trim() });
                setDraft(empty());
                setCheck(null);
              })
            }
          >
            {L('保存', 'Save')}
          </button>
          <button type="button" data-testid="cs-export" disabled={sites.length === 0} onClick={() => onDownload('liaison-custom-sites.json', JSON.stringify(sites, null, 2))}>
            {L('导出 JSON', 'Export JSON')}
          </button>
        </div>
      </div>
      {error && (
        <p class="lzo-field-error" role="alert" data-testid="cs-error">
          {error}
        </p>
      )}
      {check && (
        <div data-testid="cs-check-result">
          <p>
            {L('标题', 'Title')}: <strong>{check.title ?? '—'}</strong> · {L('联系人', 'Contact')}: {check.contact ?? '—'} ·{' '}
            {L('消息行', 'Rows')}: {check.counts.messageRow ?? 0}
          </p>
          <ul>
            {check.rows.map((r, i) => (
              <li key={i}>
                {r.outgoing ? '→ ' : '← '}
                {r.text}
              </li>
            ))}
          </ul>
          {check.errors.map((e) => (
            <p key={e} class="lzo-field-error">
              {e}
            </p>
          ))}
        </div>
      )}
    </div>
  );
}
