// 群机器人通知 (issue 17 item 4): the group robots Liaison posts to (Feishu/Lark, DingTalk,
// WeCom, Slack), the form to add one (webhook address, signing secret, keyword, style, the
// vendor's steps) and "发送测试消息". Renders only: every action is a Promise from the
// entrypoint (a message to the background, which holds the secrets and does the sending).
import { useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import { robotsTexts } from '../../lib/i18n/messages-robots';
import type { RobotKind } from '../../lib/notify/kind';
import { ROBOT_KINDS, robotKind } from '../../lib/notify/registry';
import { robotSchema, secretProblem, type Robot } from '../../lib/notify/settings';
import type { RobotView } from '../../lib/notify/store';
import type { NoticeEntry } from '../../lib/notify/log';
import { useAction } from '../sidebar/async';
import { Name } from '../shared/Name';
import { errorDisplay } from '../../lib/i18n/bilingual';
import { FieldError, Section } from './Section';

/** A configured robot as the options page sees it (robot.list): the secret itself never leaves the background. */
export type { RobotView };

export interface RobotsActions {
  /** Saves the robot; `secret` undefined keeps the stored one, '' removes it. The entry asks for the kind's host permission first (from this click). */
  save(robot: Robot, secret: string | undefined): Promise<void>;
  /** Sends the test message through notify(); rejects with the robot's error (CrmError userMessage). */
  test(id: string): Promise<void>;
  setEnabled(id: string, enabled: boolean): Promise<void>;
  remove(id: string): Promise<void>;
}

export interface RobotsProps {
  t: T;
  robots: readonly RobotView[];
  /** The latest posts and failures (lib/notify/log.ts): the last one per robot is shown on its row. */
  log?: readonly NoticeEntry[];
  actions: RobotsActions;
  newId(): string;
}

const pick = (t: T, l: { zh_CN: string; en: string }) => (t.locale === 'zh_CN' ? l.zh_CN : l.en);

/** https://oapi.dingtalk.com/…abcd: enough to recognise, not enough to use. */
function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}/…${url.slice(-4)}`;
  } catch {
    return '…';
  }
}

export function RobotsSection({ t, robots, log = [], actions, newId }: RobotsProps) {
  const rt = robotsTexts(t.locale);
  const [editing, setEditing] = useState<{ kind: RobotKind; existing?: RobotView } | null>(null);
  return (
    <Section id="robots" title={rt('title')} desc={rt('desc')}>
      {robots.length === 0 && <p class="lzo-hint">{rt('empty')}</p>}
      <ul class="lzo-conn-list" data-testid="robots">
        {robots.map((r) => (
          <RobotRow key={r.id} t={t} robot={r} last={log.filter((e) => e.robotId === r.id).at(-1)} actions={actions} onEdit={() => setEditing({ kind: robotKind(r.kind), existing: r })} />
        ))}
      </ul>
      {editing ? (
        <RobotForm key={editing.existing?.id ?? editing.kind.id} t={t} kind={editing.kind} existing={editing.existing} actions={actions} newId={newId} onDone={() => setEditing(null)} />
      ) : (
        <div class="lzo-row lzo-conn-add">
          <span class="lzo-label">{rt('add')}</span>
          {ROBOT_KINDS.map((k) => (
            <button key={k.id} type="button" class="lzo-btn" data-testid={`robot-add-${k.id}`} onClick={() => setEditing({ kind: k })}>
              {pick(t, k.names)}
            </button>
          ))}
        </div>
      )}
    </Section>
  );
}

/** The row's last post, said plainly: a failure names its reason and that nothing retries it. */
function LastNotice({ t, e }: { t: T; e: NoticeEntry }) {
  const rt = robotsTexts(t.locale);
  const at = new Date(e.at).toLocaleString(t.locale === 'zh_CN' ? 'zh-CN' : 'en', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const source = e.source === 'test' ? rt('sourceTest') : e.source === 'assignment' ? rt('sourceAssignment') : e.source.startsWith('rule') ? rt('sourceRule') : e.source;
  if (e.ok) return <p class="lzo-hint" data-testid="robot-last">{rt('lastSent', { at, source })}</p>;
  return (
    <p class="lzo-error" data-testid="robot-last" data-kind={e.kind}>
      {rt('lastFailed', { at, source, reason: e.message ? pick(t, e.message) : (e.kind ?? '') })} {rt('notRetried')}
    </p>
  );
}

function RobotRow({ t, robot: r, last, actions, onEdit }: { t: T; robot: RobotView; last?: NoticeEntry | undefined; actions: RobotsActions; onEdit(): void }) {
  const rt = robotsTexts(t.locale);
  const [tested, setTested] = useState(false);
  const test = useAction(async () => {
    setTested(false);
    await actions.test(r.id);
    setTested(true);
  });
  const toggle = useAction(() => actions.setEnabled(r.id, !r.enabled));
  const remove = useAction(() => actions.remove(r.id));
  const [confirm, setConfirm] = useState(false);
  const error = test.error ?? toggle.error ?? remove.error;
  return (
    <li class="lzo-card lzo-conn" data-testid="robot" data-robot-id={r.id} data-state={r.enabled ? 'ok' : 'paused'}>
      <div class="lzo-conn-head">
        <strong>
          <Name value={r.name} />
        </strong>
        <span class="lzo-hint">{pick(t, robotKind(r.kind).names)}</span>
        <span class={`lzo-conn-state lzo-conn-${r.enabled ? 'ok' : 'paused'}`}>{r.enabled ? rt('enabled') : rt('paused')}</span>
      </div>
      <p class="lzo-hint lzo-mono" data-testid="robot-url">
        {maskUrl(r.url)}
      </p>
      <div class="lzo-row">
        <button type="button" class="lzo-btn lzo-btn-primary" data-testid="robot-test" disabled={test.busy || !r.enabled} onClick={() => void test.run()}>
          {test.busy ? rt('testing') : rt('test')}
        </button>
        <button type="button" class="lzo-btn" data-testid="robot-edit" onClick={onEdit}>
          {rt('edit', { kind: '' }).trim()}
        </button>
        <button type="button" class="lzo-btn" data-testid="robot-toggle" disabled={toggle.busy} onClick={() => void toggle.run()}>
          {r.enabled ? rt('pause') : rt('resume')}
        </button>
        {confirm ? (
          <>
            <span class="lzo-hint">{rt('confirmRemove', { name: r.name })}</span>
            <button type="button" class="lzo-btn lzo-btn-danger" data-testid="robot-remove-yes" disabled={remove.busy} onClick={() => void remove.run()}>
              {rt('removeYes')}
            </button>
            <button type="button" class="lzo-btn" onClick={() => setConfirm(false)}>
              {rt('cancel')}
            </button>
          </>
        ) : (
          <button type="button" class="lzo-btn" data-testid="robot-remove" onClick={() => setConfirm(true)}>
            {rt('remove')}
          </button>
        )}
      </div>
      {last && <LastNotice t={t} e={last} />}
      {tested && !test.error && (
        <p class="lzo-ok" role="status" data-testid="robot-test-ok">
          {rt('testOk')}
        </p>
      )}
      {error !== null && (
        <p class="lzo-error" role="alert" data-testid="robot-error">
          {error ? errorDisplay(t, error).text : rt('failed')}
        </p>
      )}
    </li>
  );
}

function RobotForm(props: { t: T; kind: RobotKind; existing?: RobotView; actions: RobotsActions; newId(): string; onDone(): void }) {
  const { t, kind, existing, actions } = props;
  const rt = robotsTexts(t.locale);
  const [name, setName] = useState(existing?.name ?? '');
  const [url, setUrl] = useState(existing?.url ?? '');
  const [secret, setSecret] = useState('');
  const [keyword, setKeyword] = useState(existing?.keyword ?? '');
  const [format, setFormat] = useState<Robot['format']>(existing?.format ?? 'rich');
  const [touched, setTouched] = useState(false);

  const draft = { id: existing?.id ?? 'new', kind: kind.id, name, url, enabled: existing?.enabled ?? true, format, ...(keyword.trim() ? { keyword } : {}) };
  const parsed = robotSchema.safeParse(draft);
  const fieldError = (path: string) => (parsed.success ? undefined : parsed.error.issues.find((i) => i.path[0] === path)?.message);
  const urlCheck = kind.parseUrl(url);
  const urlError = url.trim() === '' ? undefined : urlCheck.ok ? undefined : pick(t, urlCheck.problem);
  const secretError = secret.trim() ? secretProblem({ kind: kind.id }, { secret: secret.trim() }) : undefined;
  const valid = parsed.success && !secretError;

  const save = useAction(async () => {
    if (!parsed.success) return;
    const robot: Robot = { ...parsed.data, id: existing?.id ?? props.newId() };
    await actions.save(robot, secret.trim() ? secret.trim() : existing ? undefined : '');
    props.onDone();
  });
  const id = (s: string) => `lzo-robot-${s}`;
  return (
    <form
      class="lzo-card lzo-conn-form"
      data-testid="robot-form"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (valid) void save.run();
      }}
    >
      <h3>{existing ? rt('edit', { kind: pick(t, kind.names) }) : rt('new', { kind: pick(t, kind.names) })}</h3>
      <details open={!existing}>
        <summary>{rt('steps')}</summary>
        <ol data-testid="robot-steps">
          {(t.locale === 'zh_CN' ? kind.help.zh_CN : kind.help.en).map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
      </details>
      <div class={`lzo-field${touched && fieldError('name') ? ' lzo-invalid' : ''}`}>
        <label class="lzo-label" for={id('name')}>
          {rt('name')}
        </label>
        <input id={id('name')} class="lzo-input" value={name} maxLength={80} placeholder={rt('namePlaceholder')} data-testid="robot-name" onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        {touched && <FieldError error={fieldError('name')} />}
      </div>
      <div class={`lzo-field${urlError ? ' lzo-invalid' : ''}`}>
        <label class="lzo-label" for={id('url')}>
          {rt('url')}
        </label>
        <input
          id={id('url')}
          class="lzo-input lzo-mono"
          value={url}
          maxLength={500}
          spellcheck={false}
          autoComplete="off"
          placeholder={kind.urlExample}
          data-testid="robot-url-input"
          aria-invalid={urlError ? 'true' : undefined}
          aria-describedby={id('url-help')}
          onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)}
        />
        <FieldError error={urlError} />
        <p class="lzo-hint" id={id('url-help')}>
          {rt('urlSecret')}
        </p>
      </div>
      {kind.secret && (
        <div class={`lzo-field${secretError ? ' lzo-invalid' : ''}`}>
          <label class="lzo-label" for={id('secret')}>
            {rt('secret', { label: pick(t, kind.secret.label) })}
          </label>
          <input
            id={id('secret')}
            class="lzo-input lzo-mono"
            type="password"
            value={secret}
            maxLength={200}
            autoComplete="off"
            placeholder={existing?.hasSecret ? rt('secretKeep') : ''}
            data-testid="robot-secret"
            aria-describedby={id('secret-help')}
            onInput={(e) => setSecret((e.currentTarget as HTMLInputElement).value)}
          />
          <FieldError error={secretError ? pick(t, secretError) : undefined} />
          <p class="lzo-hint" id={id('secret-help')}>
            {pick(t, kind.secret.help)}
          </p>
        </div>
      )}
      {kind.keywords && (
        <div class="lzo-field">
          <label class="lzo-label" for={id('keyword')}>
            {rt('keyword')}
          </label>
          <input id={id('keyword')} class="lzo-input lzo-narrow" value={keyword} maxLength={50} data-testid="robot-keyword" aria-describedby={id('keyword-help')} onInput={(e) => setKeyword((e.currentTarget as HTMLInputElement).value)} />
          <p class="lzo-hint" id={id('keyword-help')}>
            {rt('keywordHint')}
          </p>
        </div>
      )}
      <fieldset class="lzo-field">
        <legend class="lzo-label">{rt('format')}</legend>
        {(['rich', 'text'] as const).map((f) => (
          <label key={f} class="lzo-check">
            <input type="radio" name={id('format')} value={f} checked={format === f} data-testid={`robot-format-${f}`} onChange={() => setFormat(f)} /> {f === 'rich' ? rt('formatRich') : rt('formatText')}
          </label>
        ))}
      </fieldset>
      <p class="lzo-hint">{rt('rate', { rule: pick(t, kind.rateNote) })}</p>
      <div class="lzo-row">
        <button type="submit" class="lzo-btn lzo-btn-primary" data-testid="robot-save" disabled={save.busy || (touched && !valid)}>
          {rt('save')}
        </button>
        <button type="button" class="lzo-btn" onClick={props.onDone}>
          {rt('cancel')}
        </button>
      </div>
      {save.error !== null && (
        <p class="lzo-error" role="alert" data-testid="robot-save-error">
          {save.error ? errorDisplay(t, save.error).text : rt('failed')}
        </p>
      )}
    </form>
  );
}
