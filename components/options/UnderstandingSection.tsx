// 理解与自动记录: auto-logging switches per site and per CRM connection, the automation rules
// (a list editor over fixed choices), and the optional LLM endpoint. It saves on its own (like
// connections) because the LLM key goes to the background's secrets, never into Settings.
import { Name } from '../shared/Name';
import { useEffect, useState } from 'preact/hooks';
import type { T, MessageKey } from '../../lib/i18n';
import { INTENT_LEVELS } from '../../lib/model/enums';
import type { LlmConfig, UnderstandingConfig, UnderstandingView } from '../../lib/suggest/config';
import {
  RULE_CATEGORIES,
  RULE_CUSTOMER_FIELDS,
  RULE_SIGNALS,
  RULE_TEMPLATES,
  type Rule,
  type RuleAction,
  type RuleCondition,
} from '../../lib/rules/schema';
import { EVENT_LABELS, NOTIFY_EVENTS } from '../../lib/notify/templates';
import { useAction } from '../sidebar/async';
import { Section } from './Section';

export interface UnderstandingActions {
  /** apiKey: a new key, undefined to keep the stored one, null to delete it. */
  save(config: UnderstandingConfig, apiKey?: string | null): Promise<void>;
  test(llm: LlmConfig, apiKey?: string): Promise<{ reply: string; ms: number }>;
}

export interface UnderstandingProps {
  t: T;
  view: UnderstandingView;
  sites: readonly { id: string; name: string }[];
  connections: readonly { id: string; name: string }[];
  stages: readonly string[];
  /** Configured group robots, offered by name in "notify the group" (absent: none configured). */
  robots?: readonly { id: string; name: string }[];
  actions: UnderstandingActions;
  /** New rule ids (injected so tests are deterministic). */
  newId?(): string;
}

const COND_TYPES = ['signal', 'intent', 'category', 'site', 'customer', 'amount'] as const;
const ACTION_TYPES = ['createDeal', 'setStage', 'setGrade', 'setIntentLevel', 'setNextFollowUp', 'notify', 'notifyGroup'] as const;

function defaultCondition(type: RuleCondition['type'], sites: UnderstandingProps['sites']): RuleCondition {
  switch (type) {
    case 'signal':
      return { type, signal: 'buying' };
    case 'intent':
      return { type, level: '高' };
    case 'category':
      return { type, category: '销售线索' };
    case 'site':
      return { type, site: sites[0]?.id ?? 'demo' };
    case 'customer':
      return { type, field: 'stage', op: 'is', value: '新客户' };
    case 'amount':
      return { type, op: 'gte', value: 1_000_000 };
  }
}

function defaultAction(type: RuleAction['type'], stages: readonly string[], robots: UnderstandingProps['robots'] = []): RuleAction {
  switch (type) {
    case 'notifyGroup':
      return { type, robotId: robots[0]?.id ?? '', event: 'buyingSignal' };
    case 'setStage':
      return { type, value: stages[0] ?? '新客户' };
    case 'setGrade':
      return { type, value: '重点客户' };
    case 'setIntentLevel':
      return { type, value: 'detected' };
    default:
      return { type } as RuleAction;
  }
}

/** A template's "notify the group" gets the first configured robot (the user can pick another). */
function withRobot(tpl: Omit<Rule, 'id'>, robots: NonNullable<UnderstandingProps['robots']>): Omit<Rule, 'id'> {
  return { ...tpl, then: tpl.then.map((a) => (a.type === 'notifyGroup' && !a.robotId ? { ...a, robotId: robots[0]?.id ?? '' } : a)) };
}

function validUrl(u: string): boolean {
  if (!u) return true;
  try {
    return /^https?:$/.test(new URL(u).protocol);
  } catch {
    return false;
  }
}

export function UnderstandingSection({ t, view, sites, connections, stages, robots = [], actions, newId }: UnderstandingProps) {
  const { llmKeyStored, ...stored } = view;
  const [draft, setDraft] = useState<UnderstandingConfig>(stored);
  const [apiKey, setApiKey] = useState('');
  const [clearKey, setClearKey] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(() => setDraft(stored), [JSON.stringify(stored)]);
  const save = useAction(async () => {
    await actions.save(draft, clearKey ? null : apiKey.trim() || undefined);
    setApiKey('');
    setClearKey(false);
    setSaved(true);
  });
  const test = useAction(async () => setTestResult(await actions.test(draft.llm, apiKey.trim() || undefined)));
  const [testResult, setTestResult] = useState<{ reply: string; ms: number } | null>(null);
  const set = (p: Partial<UnderstandingConfig>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...p }));
  };
  const setLlm = (p: Partial<LlmConfig>) => set({ llm: { ...draft.llm, ...p } });
  const setRule = (i: number, r: Rule) => set({ rules: draft.rules.map((x, j) => (j === i ? r : x)) });
  const urlBad = !validUrl(draft.llm.baseUrl);

  return (
    <Section id="understanding" title={t('options.nav.understanding')} desc={t('und.desc')}>
      <div data-testid="understanding">
        <h3 class="lzo-subhead">{t('und.autoLog')}</h3>
        <p class="lzo-hint">{t('und.autoLogHint')}</p>
        <div class="lzo-field">
          <label class="lzo-label">
            {t('und.window')}
            <input
              class="lzo-input lzo-narrow"
              type="number"
              min={5}
              max={1440}
              value={draft.autoLog.windowMinutes}
              onInput={(e) => {
                const n = Number((e.currentTarget as HTMLInputElement).value);
                if (Number.isInteger(n) && n >= 5 && n <= 1440) set({ autoLog: { ...draft.autoLog, windowMinutes: n } });
              }}
            />
          </label>
        </div>
        <fieldset class="lzo-fieldset">
          <legend class="lzo-label">{t('und.sites')}</legend>
          {sites.map((s) => (
            <label key={s.id} class="lzo-switch-row">
              <input
                type="checkbox"
                class="lzo-switch"
                data-testid={`autolog-site-${s.id}`}
                checked={draft.autoLog.sites[s.id] === true}
                onChange={(e) => set({ autoLog: { ...draft.autoLog, sites: { ...draft.autoLog.sites, [s.id]: (e.currentTarget as HTMLInputElement).checked } } })}
              />
              <span class="lzo-switch-title">{s.name}</span>
            </label>
          ))}
        </fieldset>
        <fieldset class="lzo-fieldset">
          <legend class="lzo-label">{t('und.connections')}</legend>
          {connections.map((c) => (
            <label key={c.id} class="lzo-switch-row">
              <input
                type="checkbox"
                class="lzo-switch"
                data-testid={`autolog-conn-${c.id}`}
                checked={draft.autoLog.connections[c.id] === true}
                onChange={(e) =>
                  set({ autoLog: { ...draft.autoLog, connections: { ...draft.autoLog.connections, [c.id]: (e.currentTarget as HTMLInputElement).checked } } })
                }
              />
              <Name class="lzo-switch-title" value={c.name} />
            </label>
          ))}
        </fieldset>

        <h3 class="lzo-subhead">{t('und.rules')}</h3>
        <p class="lzo-hint">{t('und.rulesHint')}</p>
        {draft.rules.length === 0 && <p class="lzo-note">{t('und.rule.none')}</p>}
        <ul class="lzo-list" data-testid="rules">
          {draft.rules.map((r, i) => (
            <RuleEditor
              key={r.id}
              t={t}
              rule={r}
              sites={sites}
              stages={stages}
              robots={robots}
              onChange={(x) => setRule(i, x)}
              onRemove={() => set({ rules: draft.rules.filter((_, j) => j !== i) })}
            />
          ))}
        </ul>
        <div class="lzo-row">
          {RULE_TEMPLATES.map((tpl) => (
            <button
              key={tpl.name}
              type="button"
              class="lzo-btn"
              data-testid="rule-add"
              onClick={() => set({ rules: [...draft.rules, { ...withRobot(structuredClone(tpl), robots), id: newId?.() ?? `r${Date.now().toString(36)}${draft.rules.length}` }] })}
            >
              {t('und.rule.add')}: {tpl.name}
            </button>
          ))}
        </div>

        <h3 class="lzo-subhead">{t('und.llm')}</h3>
        <p class="lzo-hint">{t('und.llmHint')}</p>
        <label class="lzo-switch-row">
          <input type="checkbox" class="lzo-switch" data-testid="llm-enabled" checked={draft.llm.enabled} onChange={(e) => setLlm({ enabled: (e.currentTarget as HTMLInputElement).checked })} />
          <span class="lzo-switch-title">{t('und.llm.enabled')}</span>
        </label>
        <div class={`lzo-field${urlBad ? ' lzo-invalid' : ''}`}>
          <label class="lzo-label">
            {t('und.llm.baseUrl')}
            <input class="lzo-input" data-testid="llm-base-url" placeholder="https://api.deepseek.com/v1" value={draft.llm.baseUrl} onInput={(e) => setLlm({ baseUrl: (e.currentTarget as HTMLInputElement).value.trim() })} />
          </label>
          {urlBad && <p class="lzo-field-error">{t('und.llm.badUrl')}</p>}
        </div>
        <div class="lzo-field">
          <label class="lzo-label">
            {t('und.llm.model')}
            <input class="lzo-input" data-testid="llm-model" placeholder="deepseek-chat" value={draft.llm.model} onInput={(e) => setLlm({ model: (e.currentTarget as HTMLInputElement).value })} />
          </label>
        </div>
        <div class="lzo-field">
          <label class="lzo-label">
            {t('und.llm.apiKey')}
            <input
              class="lzo-input"
              type="password"
              autocomplete="off"
              data-testid="llm-api-key"
              placeholder={llmKeyStored ? t('und.llm.keyStored') : ''}
              value={apiKey}
              onInput={(e) => (setSaved(false), setApiKey((e.currentTarget as HTMLInputElement).value))}
            />
          </label>
          {llmKeyStored && (
            <label class="lzo-hint">
              <input type="checkbox" checked={clearKey} onChange={(e) => (setSaved(false), setClearKey((e.currentTarget as HTMLInputElement).checked))} /> {t('und.llm.clearKey')}
            </label>
          )}
        </div>
        <label class="lzo-switch-row">
          <input
            type="checkbox"
            class="lzo-switch"
            data-testid="llm-send"
            checked={draft.llm.sendCustomerData}
            onChange={(e) => setLlm({ sendCustomerData: (e.currentTarget as HTMLInputElement).checked })}
          />
          <span class="lzo-switch-title">{t('und.llm.send')}</span>
        </label>
        <div class="lzo-field">
          <label class="lzo-label">
            {t('und.llm.timeout')}
            <input
              class="lzo-input lzo-narrow"
              type="number"
              min={1}
              max={120}
              value={Math.round(draft.llm.timeoutMs / 1000)}
              onInput={(e) => {
                const n = Number((e.currentTarget as HTMLInputElement).value);
                if (n >= 1 && n <= 120) setLlm({ timeoutMs: Math.round(n * 1000) });
              }}
            />
          </label>
        </div>
        <div class="lzo-row">
          <button type="button" class="lzo-btn" data-testid="llm-test" disabled={test.busy || urlBad || !draft.llm.baseUrl || !draft.llm.model} onClick={() => void test.run()}>
            {test.busy ? t('common.working') : t('und.llm.test')}
          </button>
          {testResult && !test.error && <span class="lzo-ok" data-testid="llm-test-ok">{t('und.llm.testOk', { ms: testResult.ms })}</span>}
          {test.error !== null && (
            <span class="lzo-bad" role="alert">
              {test.error || t('error.generic')}
            </span>
          )}
        </div>

        <div class="lzo-row">
          <button type="button" class="lzo-btn lzo-btn-primary" data-testid="understanding-save" disabled={save.busy || urlBad} onClick={() => void save.run()}>
            {save.busy ? t('common.saving') : t('und.save')}
          </button>
          {saved && <span class="lzo-ok">{t('und.saved')}</span>}
          {save.error !== null && (
            <span class="lzo-bad" role="alert">
              {save.error || t('error.generic')}
            </span>
          )}
        </div>
      </div>
    </Section>
  );
}

function RuleEditor(props: {
  t: T;
  rule: Rule;
  sites: UnderstandingProps['sites'];
  stages: readonly string[];
  robots: NonNullable<UnderstandingProps['robots']>;
  onChange(r: Rule): void;
  onRemove(): void;
}) {
  const { t, rule: r, onChange } = props;
  const setCond = (i: number, c: RuleCondition) => onChange({ ...r, when: r.when.map((x, j) => (j === i ? c : x)) });
  const setAct = (i: number, a: RuleAction) => onChange({ ...r, then: r.then.map((x, j) => (j === i ? a : x)) });
  return (
    <li class="lzo-card" data-testid="rule">
      <div class="lzo-row">
        <input class="lzo-input" aria-label={t('und.rule.name')} value={r.name} onInput={(e) => onChange({ ...r, name: (e.currentTarget as HTMLInputElement).value })} />
        <label class="lzo-switch-row">
          <input type="checkbox" class="lzo-switch" data-testid="rule-enabled" checked={r.enabled} onChange={(e) => onChange({ ...r, enabled: (e.currentTarget as HTMLInputElement).checked })} />
          <span>{t('und.rule.enabled')}</span>
        </label>
        <button type="button" class="lzo-btn lzo-btn-ghost lzo-btn-danger" data-testid="rule-remove" onClick={props.onRemove}>
          {t('und.rule.remove')}
        </button>
      </div>
      <div class="lzo-label">{t('und.rule.when')}</div>
      {r.when.map((c, i) => (
        <div key={i} class="lzo-row" data-testid="rule-condition">
          <select class="lzo-input" value={c.type} onChange={(e) => setCond(i, defaultCondition((e.currentTarget as HTMLSelectElement).value as RuleCondition['type'], props.sites))}>
            {COND_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`und.cond.${ty}` as MessageKey)}
              </option>
            ))}
          </select>
          <ConditionValue t={t} c={c} sites={props.sites} onChange={(x) => setCond(i, x)} />
          {r.when.length > 1 && (
            <button type="button" class="lzo-btn lzo-btn-ghost" onClick={() => onChange({ ...r, when: r.when.filter((_, j) => j !== i) })}>
              {t('und.rule.removeItem')}
            </button>
          )}
        </div>
      ))}
      <button type="button" class="lzo-btn lzo-btn-ghost" onClick={() => onChange({ ...r, when: [...r.when, defaultCondition('signal', props.sites)] })}>
        {t('und.rule.addCondition')}
      </button>
      <div class="lzo-label">{t('und.rule.then')}</div>
      {r.then.map((a, i) => (
        <div key={i} class="lzo-row" data-testid="rule-action">
          <select class="lzo-input" value={a.type} onChange={(e) => setAct(i, defaultAction((e.currentTarget as HTMLSelectElement).value as RuleAction['type'], props.stages, props.robots))}>
            {ACTION_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`und.action.${ty}` as MessageKey)}
              </option>
            ))}
          </select>
          <ActionValue t={t} a={a} stages={props.stages} robots={props.robots} onChange={(x) => setAct(i, x)} />
          {r.then.length > 1 && (
            <button type="button" class="lzo-btn lzo-btn-ghost" onClick={() => onChange({ ...r, then: r.then.filter((_, j) => j !== i) })}>
              {t('und.rule.removeItem')}
            </button>
          )}
        </div>
      ))}
      <button type="button" class="lzo-btn lzo-btn-ghost" onClick={() => onChange({ ...r, then: [...r.then, defaultAction('notify', props.stages)] })}>
        {t('und.rule.addAction')}
      </button>
    </li>
  );
}

function Select<V extends string>({ value, values, label, onChange }: { value: V; values: readonly V[]; label(v: V): string; onChange(v: V): void }) {
  return (
    <select class="lzo-input" value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as V)}>
      {values.map((v) => (
        <option key={v} value={v}>
          {label(v)}
        </option>
      ))}
    </select>
  );
}

function ConditionValue({ t, c, sites, onChange }: { t: T; c: RuleCondition; sites: UnderstandingProps['sites']; onChange(c: RuleCondition): void }) {
  switch (c.type) {
    case 'signal':
      return <Select value={c.signal} values={RULE_SIGNALS} label={(v) => t(`und.signal.${v}` as MessageKey)} onChange={(signal) => onChange({ ...c, signal })} />;
    case 'intent':
      return <Select value={c.level} values={INTENT_LEVELS} label={(v) => t.term(v)} onChange={(level) => onChange({ ...c, level })} />;
    case 'category':
      return <Select value={c.category} values={RULE_CATEGORIES} label={(v) => v} onChange={(category) => onChange({ ...c, category })} />;
    case 'site':
      return <Select value={c.site} values={sites.map((s) => s.id)} label={(v) => sites.find((s) => s.id === v)?.name ?? v} onChange={(site) => onChange({ ...c, site })} />;
    case 'customer':
      return (
        <>
          <Select value={c.field} values={RULE_CUSTOMER_FIELDS} label={(v) => t(`und.field.${v}` as MessageKey)} onChange={(field) => onChange({ ...c, field })} />
          <Select value={c.op} values={['is', 'isNot'] as const} label={(v) => t(`und.op.${v}`)} onChange={(op) => onChange({ ...c, op })} />
          <input class="lzo-input" value={c.value} onInput={(e) => onChange({ ...c, value: (e.currentTarget as HTMLInputElement).value })} />
        </>
      );
    case 'amount':
      return (
        <>
          <label class="lzo-label">
            {t('und.amount.gte')}
            <input
              class="lzo-input lzo-narrow"
              type="number"
              min={1}
              step={10_000}
              data-testid="rule-amount"
              value={c.value}
              onInput={(e) => {
                const v = (e.currentTarget as HTMLInputElement).valueAsNumber;
                if (Number.isFinite(v) && v > 0) onChange({ ...c, value: v });
              }}
            />
          </label>
          <span class="lzo-hint">{t('und.amount.wan', { wan: String(c.value / 10_000) })}</span>
        </>
      );
  }
}

function ActionValue({ t, a, stages, robots, onChange }: { t: T; a: RuleAction; stages: readonly string[]; robots: NonNullable<UnderstandingProps['robots']>; onChange(a: RuleAction): void }) {
  switch (a.type) {
    case 'notifyGroup':
      if (!robots.length) return <span class="lzo-field-error" data-testid="rule-robot-none">{t('und.robot.none')}</span>;
      return (
        <>
          <select class="lzo-input" aria-label={t('und.robot.pick')} data-testid="rule-robot" value={a.robotId} onChange={(e) => onChange({ ...a, robotId: (e.currentTarget as HTMLSelectElement).value })}>
            {!robots.some((r) => r.id === a.robotId) && <option value={a.robotId}>{t('und.robot.pick')}</option>}
            {robots.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          <Select value={a.event} values={NOTIFY_EVENTS} label={(v) => EVENT_LABELS[v][t.locale === 'zh_CN' ? 'zh_CN' : 'en']} onChange={(event) => onChange({ ...a, event })} />
        </>
      );
    case 'setStage':
      return <Select value={a.value} values={stages} label={(v) => t.term(v)} onChange={(value) => onChange({ ...a, value })} />;
    case 'setGrade':
      return <input class="lzo-input" value={a.value} onInput={(e) => onChange({ ...a, value: (e.currentTarget as HTMLInputElement).value })} />;
    case 'setIntentLevel':
      return (
        <Select
          value={a.value}
          values={['detected', ...INTENT_LEVELS] as const}
          label={(v) => (v === 'detected' ? t('und.detected') : t.term(v))}
          onChange={(value) => onChange({ ...a, value })}
        />
      );
    default:
      return null;
  }
}
