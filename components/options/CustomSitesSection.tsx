// 自定义网站: chat sites the user teaches Liaison, as data (a URL pattern and, per field, a CSS
// selector, the text or an attribute, an optional regular expression; exportable JSON). Pure: the
// entrypoint asks for the host permission from the click, saves through the background, and runs
// the test read and the element picker on the user's open tab.
import { useState } from 'preact/hooks';
import type { CustomSiteDef, CustomSiteFields, DirectionRule, FieldKey, FieldSpec } from '../../lib/custom-sites/definition';
import type { PickField, PickResult } from '../../lib/custom-sites/picker';
import { customSiteSchema, siteProblems } from '../../lib/custom-sites/schema';
import type { TestReadMessage, TestReadResult } from '../../lib/custom-sites/test-read';

export interface CustomSitesActions {
  save(site: CustomSiteDef): Promise<void>;
  remove(id: string): Promise<void>;
  /** 试读 on the user's open tab of the site, with the definition as the form has it. */
  testRead(site: CustomSiteDef): Promise<TestReadResult>;
  /** The element picker on the user's open tab of a saved site. */
  pick(id: string, field: PickField, rowCss?: string): Promise<PickResult>;
}

export interface CustomSitesProps {
  locale: string;
  sites: readonly CustomSiteDef[];
  actions: CustomSitesActions;
  onDownload(filename: string, json: string): void;
}

interface FieldMeta {
  key: FieldKey;
  zh: string;
  en: string;
  hint: string;
  required?: boolean;
  /** inside a message row ('' = the row itself) */
  row?: boolean;
  /** the value can come from an attribute and be cut by a regular expression */
  value?: boolean;
}

const FIELDS: FieldMeta[] = [
  { key: 'title', zh: '会话标题（联系人名）', en: 'Conversation title (contact name)', hint: '.chat-header .name', required: true, value: true },
  { key: 'threadKey', zh: '会话编号（稳定的键）', en: 'Conversation id (a stable key)', hint: '.chat-header [data-conv-id]', value: true },
  { key: 'messageList', zh: '消息列表', en: 'Message list', hint: '.messages' },
  { key: 'messageRow', zh: '消息行', en: 'Message row', hint: '.message', required: true },
  { key: 'messageId', zh: '消息编号（行内）', en: 'Message id (in the row)', hint: '(行本身 / the row)', row: true, value: true },
  { key: 'text', zh: '消息文字（行内）', en: 'Message text (in the row)', hint: '.bubble-text', row: true, value: true },
  { key: 'time', zh: '消息时间（行内）', en: 'Message time (in the row)', hint: 'time', row: true, value: true },
  { key: 'sender', zh: '发送人（行内，群聊）', en: 'Sender (in the row, groups)', hint: '.author', row: true, value: true },
  { key: 'phone', zh: '联系人电话', en: "Contact's phone", hint: '.chat-header .phone', value: true },
  { key: 'wechat', zh: '微信号', en: 'WeChat id', hint: '.profile .wechat', value: true },
  { key: 'email', zh: '邮箱', en: 'Email', hint: '.profile .email', value: true },
  { key: 'groupMarker', zh: '群聊标记', en: 'Group chat marker', hint: '.chat-header .members' },
];

interface FieldRow {
  css: string;
  source: 'text' | 'attr';
  attr: string;
  re: string;
  format: string;
}
type DirKind = 'none' | DirectionRule['kind'];
interface Draft {
  id: string;
  name: string;
  pattern: string;
  fields: Record<FieldKey, FieldRow>;
  dir: { kind: DirKind; css: string; attr: string; equals: string };
}

const blankRow = (): FieldRow => ({ css: '', source: 'text', attr: '', re: '', format: '' });
const emptyDraft = (): Draft => ({
  id: '',
  name: '',
  pattern: '',
  fields: Object.fromEntries(FIELDS.map((f) => [f.key, blankRow()])) as Record<FieldKey, FieldRow>,
  dir: { kind: 'none', css: '', attr: '', equals: '' },
});

function fromDef(def: CustomSiteDef): Draft {
  const d = emptyDraft();
  d.id = def.id;
  d.name = def.name;
  d.pattern = def.pattern;
  for (const f of FIELDS) {
    const spec = def.fields[f.key] as (FieldSpec & { format?: string }) | undefined;
    if (spec) d.fields[f.key] = { css: spec.css, source: spec.attr ? 'attr' : 'text', attr: spec.attr ?? '', re: spec.re ?? '', format: spec.format ?? '' };
  }
  const r = def.direction;
  if (r) d.dir = r.kind === 'outgoingAttr' ? { kind: r.kind, css: '', attr: r.attr, equals: r.equals } : { kind: r.kind, css: r.css, attr: '', equals: '' };
  return d;
}

/** The definition the form describes (empty parts left out). */
function toDef(d: Draft, id: string): CustomSiteDef {
  const fields: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const r = d.fields[f.key];
    const css = r.css.trim();
    const attr = f.value && r.source === 'attr' ? r.attr.trim() : '';
    // A row field may be the row itself (no selector) when its value is an attribute of the row.
    if (!css && !(f.row && attr) && !f.required) continue;
    fields[f.key] = {
      css,
      ...(attr ? { attr } : {}),
      ...(f.value && r.re.trim() ? { re: r.re.trim() } : {}),
      ...(f.key === 'time' && r.format.trim() ? { format: r.format.trim() } : {}),
    };
  }
  const k = d.dir.kind;
  const direction: DirectionRule | undefined =
    k === 'none' ? undefined : k === 'outgoingAttr' ? { kind: k, attr: d.dir.attr.trim(), equals: d.dir.equals.trim() } : { kind: k, css: d.dir.css.trim() };
  return { version: 2, id, name: d.name.trim(), pattern: d.pattern.trim(), fields: fields as unknown as CustomSiteFields, ...(direction ? { direction } : {}) };
}

const newId = () => Math.random().toString(36).slice(2, 10);

export function CustomSitesSection({ locale, sites, actions, onDownload }: CustomSitesProps) {
  const zh = locale === 'zh_CN';
  const L = (z: string, e: string) => (zh ? z : e);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [error, setError] = useState<string | undefined>();
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [picking, setPicking] = useState<PickField | null>(null);
  const [picked, setPicked] = useState<Partial<Record<PickField, PickResult & { picked: true }>>>({});
  const [read, setRead] = useState<TestReadResult | null>(null);
  const [imported, setImported] = useState<{ def?: CustomSiteDef; problems: string[] }[]>([]);

  const setRow = (k: FieldKey, patch: Partial<FieldRow>) => setDraft((d) => ({ ...d, fields: { ...d.fields, [k]: { ...d.fields[k], ...patch } } }));
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
  /** The draft as a definition, or the problems that stop it (shown under the form). */
  const checked = (id: string): CustomSiteDef | null => {
    const def = toDef(draft, id);
    const p = siteProblems(def);
    setProblems(p);
    return p.length ? null : def;
  };
  const saved = sites.some((s) => s.id === draft.id);
  const ready = draft.name.trim() && draft.pattern.trim() && draft.fields.title.css.trim() && draft.fields.messageRow.css.trim();

  const pick = (field: PickField) =>
    void run(async () => {
      if (!saved) throw new Error(L('请先保存这个网站，再在页面上选取（保存时会获得该网站的访问权限）', 'Save the site first, then pick on its page (saving grants access to it)'));
      setPicking(field);
      try {
        const r = await actions.pick(draft.id, field, draft.fields.messageRow.css.trim() || undefined);
        if (!r.picked) {
          if (r.reason === 'noRow') throw new Error(L('所点元素不在消息行内：请先填写或选取“消息行”', 'The element is not inside a message row: fill in or pick the message row first'));
          if (r.reason === 'timeout') throw new Error(L('选取超时', 'Picking timed out'));
          return; // cancelled with Esc
        }
        setPicked((p) => ({ ...p, [field]: r }));
        if (field === 'direction') {
          const dr = r.direction;
          if (dr) setDraft((d) => ({ ...d, dir: dr.kind === 'outgoingAttr' ? { kind: dr.kind, css: '', attr: dr.attr, equals: dr.equals } : { kind: dr.kind, css: dr.css, attr: '', equals: '' } }));
          return;
        }
        const meta = FIELDS.find((f) => f.key === field);
        setRow(field, { css: r.selector, ...(meta?.value && r.attr ? { source: 'attr' as const, attr: r.attr } : {}) });
      } finally {
        setPicking(null);
      }
    });

  const pickButton = (field: PickField) => (
    <button type="button" data-testid={`cs-${field}-pick`} disabled={busy} title={saved ? '' : L('先保存', 'Save first')} onClick={() => pick(field)}>
      {picking === field ? L('请在页面上点击…', 'Click on the page…') : L('在页面上选取', 'Pick on page')}
    </button>
  );
  const pickedNote = (field: PickField) => {
    const r = picked[field];
    if (!r) return null;
    return (
      <span class="lzo-hint" data-testid={`cs-${field}-picked`}>
        {L(`匹配 ${r.count} 个`, `${r.count} match${r.count === 1 ? '' : 'es'}`)}
        {r.siblings !== undefined ? L(`，同级 ${r.siblings} 行`, `, ${r.siblings} sibling rows`) : ''}
        {r.rows ? L(`，${r.rows.with}/${r.rows.total} 行中有`, `, in ${r.rows.with}/${r.rows.total} rows`) : ''}
      </span>
    );
  };
  const when = (at: number | undefined) => (at === undefined ? L('无时间', 'no time') : new Date(at).toLocaleString(zh ? 'zh-CN' : 'en'));
  const line = (m: TestReadMessage | undefined, testid: string) =>
    m && (
      <li data-testid={testid}>
        {m.direction === 'out' ? L('→ 发出', '→ out') : L('← 收到', '← in')} · {when(m.at)} · {m.text}
      </li>
    );

  const onImport = async (file: File | undefined) => {
    if (!file) return;
    try {
      const json: unknown = JSON.parse(await file.text());
      const list = Array.isArray(json) ? json.slice(0, 50) : [json];
      setImported(
        list.map((x) => {
          const r = customSiteSchema.safeParse(x);
          return r.success ? { def: r.data, problems: [] } : { problems: siteProblems(x) };
        }),
      );
    } catch {
      setImported([{ problems: [L('不是有效的 JSON 文件', 'Not a valid JSON file')] }]);
    }
  };

  return (
    <div class="lzo-custom-sites" data-testid="custom-sites">
      <p class="lzo-desc">
        {L(
          '让联络读取其他网页聊天：填写网址规则，并为每一项指出它在页面上的位置（CSS 选择器，取文字或某个属性，可选正则截取）。只会请求这个网站的访问权限。保存后可以在打开的页面上直接选取元素。',
          'Let Liaison read another web chat: a URL pattern and, for each field, where it is on the page (a CSS selector, its text or an attribute, optionally cut by a regular expression). Only that site’s access is requested. Once saved, you can pick elements on the open page.',
        )}
      </p>
      {sites.length > 0 && (
        <ul class="lzo-list" data-testid="custom-site-list">
          {sites.map((s) => (
            <li key={s.id} data-testid="custom-site">
              <strong>{s.name}</strong> <code>{s.pattern}</code>{' '}
              <button
                type="button"
                data-testid="cs-edit"
                onClick={() => {
                  setDraft(fromDef(s));
                  setPicked({});
                  setRead(null);
                  setProblems([]);
                }}
              >
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
          <input data-testid="cs-pattern" placeholder="https://chat.example.com/* · http://127.0.0.1:*/console/*" value={draft.pattern} onInput={(e) => setDraft({ ...draft, pattern: e.currentTarget.value })} />
        </label>
        <table class="lzo-table">
          <thead>
            <tr>
              <th>{L('字段', 'Field')}</th>
              <th>{L('CSS 选择器', 'CSS selector')}</th>
              <th>{L('取值', 'Value')}</th>
              <th>{L('正则截取（一个捕获组）', 'Regex cut (one group)')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {FIELDS.map((f) => {
              const r = draft.fields[f.key];
              return (
                <tr key={f.key} data-testid={`cs-row-${f.key}`}>
                  <td>
                    {zh ? f.zh : f.en}
                    {f.required ? ' *' : ''}
                  </td>
                  <td>
                    <input data-testid={`cs-${f.key}`} placeholder={f.hint} value={r.css} onInput={(e) => setRow(f.key, { css: e.currentTarget.value })} />
                  </td>
                  <td>
                    {f.value && (
                      <>
                        <select data-testid={`cs-${f.key}-source`} value={r.source} onChange={(e) => setRow(f.key, { source: e.currentTarget.value as FieldRow['source'] })}>
                          <option value="text">{L('文字', 'Text')}</option>
                          <option value="attr">{L('属性', 'Attribute')}</option>
                        </select>
                        {r.source === 'attr' && (
                          <input data-testid={`cs-${f.key}-attr`} placeholder="data-conv-id" value={r.attr} onInput={(e) => setRow(f.key, { attr: e.currentTarget.value })} />
                        )}
                        {f.key === 'time' && (
                          <>
                            <input data-testid="cs-time-format" list="cs-time-formats" placeholder={L('格式：iso', 'format: iso')} value={r.format} onInput={(e) => setRow('time', { format: e.currentTarget.value })} />
                            <datalist id="cs-time-formats">
                              {['iso', 'epoch-s', 'epoch-ms', 'YYYY-MM-DD HH:mm', 'DD.MM.YYYY HH:mm', 'MM/DD HH:mm', 'HH:mm'].map((v) => (
                                <option key={v} value={v} />
                              ))}
                            </datalist>
                          </>
                        )}
                      </>
                    )}
                  </td>
                  <td>{f.value && <input data-testid={`cs-${f.key}-re`} placeholder="conv-(\d+)" value={r.re} onInput={(e) => setRow(f.key, { re: e.currentTarget.value })} />}</td>
                  <td>
                    {pickButton(f.key)} {pickedNote(f.key)}
                  </td>
                </tr>
              );
            })}
            <tr data-testid="cs-row-direction">
              <td>{L('消息方向', 'Direction')}</td>
              <td colSpan={3}>
                <select data-testid="cs-direction-kind" value={draft.dir.kind} onChange={(e) => setDraft({ ...draft, dir: { ...draft.dir, kind: e.currentTarget.value as DirKind } })}>
                  <option value="none">{L('全部视为收到', 'All rows incoming')}</option>
                  <option value="outgoingIf">{L('匹配选择器的行是我发出的', 'Rows matching a selector are outgoing')}</option>
                  <option value="outgoingAttr">{L('属性等于某值的行是我发出的', 'Rows whose attribute equals a value are outgoing')}</option>
                  <option value="incomingIf">{L('匹配选择器的行是收到的，其余是我发出的', 'Rows matching a selector are incoming, the rest outgoing')}</option>
                </select>{' '}
                {draft.dir.kind === 'outgoingAttr' ? (
                  <>
                    <input data-testid="cs-direction-attr" placeholder="data-direction" value={draft.dir.attr} onInput={(e) => setDraft({ ...draft, dir: { ...draft.dir, attr: e.currentTarget.value } })} /> ={' '}
                    <input data-testid="cs-direction-equals" placeholder="out" value={draft.dir.equals} onInput={(e) => setDraft({ ...draft, dir: { ...draft.dir, equals: e.currentTarget.value } })} />
                  </>
                ) : (
                  draft.dir.kind !== 'none' && <input data-testid="cs-direction-css" placeholder=".mine" value={draft.dir.css} onInput={(e) => setDraft({ ...draft, dir: { ...draft.dir, css: e.currentTarget.value } })} />
                )}
              </td>
              <td>
                {pickButton('direction')} {pickedNote('direction')}
              </td>
            </tr>
          </tbody>
        </table>
        <div class="lzo-actions">
          <button
            type="button"
            data-testid="cs-test"
            disabled={busy || !ready}
            onClick={() =>
              void run(async () => {
                setRead(null);
                const def = checked(draft.id || 'draft');
                if (def) setRead(await actions.testRead(def));
              })
            }
          >
            {L('试读', 'Test read')}
          </button>
          <button
            type="button"
            class="lzo-primary"
            data-testid="cs-save"
            disabled={busy || !ready}
            onClick={() =>
              void run(async () => {
                const def = checked(draft.id || newId());
                if (!def) return;
                await actions.save(def);
                // Stays in the form: the next step is usually picking on the page or a test read.
                setDraft((d) => ({ ...d, id: def.id }));
              })
            }
          >
            {L('保存', 'Save')}
          </button>
          <button
            type="button"
            data-testid="cs-new"
            onClick={() => {
              setDraft(emptyDraft());
              setPicked({});
              setRead(null);
              setProblems([]);
            }}
          >
            {L('新建', 'New')}
          </button>
          <button type="button" data-testid="cs-export" disabled={sites.length === 0} onClick={() => onDownload('liaison-custom-sites.json', JSON.stringify(sites, null, 2))}>
            {L('导出 JSON', 'Export JSON')}
          </button>
          <label>
            {L('导入 JSON', 'Import JSON')} <input type="file" accept="application/json,.json" data-testid="cs-import" onChange={(e) => void onImport(e.currentTarget.files?.[0])} />
          </label>
        </div>
      </div>
      {imported.length > 0 && (
        <ul class="lzo-list" data-testid="cs-imported">
          {imported.map((x, i) =>
            x.def ? (
              <li key={i}>
                <strong>{x.def.name}</strong> <code>{x.def.pattern}</code>{' '}
                <button
                  type="button"
                  onClick={() => {
                    // Loaded into the form: saving asks for the site's access from that click.
                    setDraft(fromDef({ ...x.def!, id: sites.some((s) => s.id === x.def!.id) ? x.def!.id : '' }));
                    setPicked({});
                    setRead(null);
                  }}
                >
                  {L('载入表单', 'Load into the form')}
                </button>
              </li>
            ) : (
              <li key={i} class="lzo-field-error">
                {x.problems.join('；')}
              </li>
            ),
          )}
        </ul>
      )}
      {problems.length > 0 && (
        <ul class="lzo-field-error" role="alert" data-testid="cs-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {error && (
        <p class="lzo-field-error" role="alert" data-testid="cs-error">
          {error}
        </p>
      )}
      {read && (
        <div data-testid="cs-test-result">
          {read.ok ? (
            <>
              <p>
                {L('标题', 'Title')}: <strong data-testid="cs-read-title">{read.title ?? '—'}</strong> · {L('会话键', 'Key')}: <code data-testid="cs-read-key">{read.threadKey ?? '—'}</code>{' '}
                <span data-testid="cs-read-keykind">{read.weakKey ? L('（弱：取自标题，不会自动关联客户）', '(weak: from the title, never linked automatically)') : L('（稳定）', '(stable)')}</span> ·{' '}
                {L('消息', 'Messages')}: <span data-testid="cs-read-count">{read.messageCount}</span>
                {read.isGroup ? L(' · 群聊', ' · group') : ''}
              </p>
              {read.contact && (
                <p data-testid="cs-read-contact">
                  {L('电话', 'Phone')}: {read.contact.phones.join(', ') || '—'} · {L('微信', 'WeChat')}: {read.contact.wechat ?? '—'} · {L('邮箱', 'Email')}: {read.contact.emails.join(', ') || '—'}
                </p>
              )}
              <ul>
                {line(read.first, 'cs-read-first')}
                {line(read.last, 'cs-read-last')}
              </ul>
            </>
          ) : (
            <p class="lzo-field-error" data-testid="cs-read-failed">
              {L('没有读到会话。', 'No conversation was read.')}
            </p>
          )}
          {read.missing.length > 0 && (
            <p class="lzo-field-error" data-testid="cs-read-missing">
              {L('找不到', 'Not found')}: {read.missing.join(', ')}
            </p>
          )}
          {read.issues.filter((i) => i.cause !== 'weakKey').map((i) => (
            <p key={i.cause} class="lzo-field-error">
              {i.cause}
              {i.detail ? ` (${i.detail})` : ''}
            </p>
          ))}
        </div>
      )}
    </div>
  );
}
