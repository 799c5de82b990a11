// 团队与分配 (seed 003 #2 销售线索自动分配): how customers get a 负责人, the team with its rules
// (产品线 / 来源 / 地区) and each member's account in the systems that assign or notify. Renders
// only: the entrypoint loads (team.get) and saves (team.save); the background validates again.
import { useEffect, useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import { assignTexts } from '../../lib/i18n/messages-assign';
import { INTENT_LEVELS } from '../../lib/model/enums';
import { teamSettingsSchema, type TeamMember, type TeamSettings } from '../../lib/assign/team';
import type { PeopleConnection } from '../../lib/assign/messages';
import { useAction } from '../sidebar/async';
import { errorDisplay } from '../../lib/i18n/bilingual';
import { Name } from '../shared/Name';

export interface AssignmentSectionProps {
  t: T;
  team: TeamSettings;
  /** Connections that assign (智邦) or notify (DingTalk, WeCom). */
  people: PeopleConnection[];
  robots: { id: string; name: string }[];
  /** Assignments per member in the last 30 days. */
  load: Record<string, number>;
  save(team: TeamSettings): Promise<void>;
  newId(): string;
}

const words = (s: string) => [...new Set(s.split(/[,，、;；]/).map((w) => w.trim()).filter(Boolean))];
const pick = (t: T, l: { zh_CN: string; en: string }) => (t.locale === 'zh_CN' ? l.zh_CN : l.en);

export function AssignmentSection({ t, team, people, robots, load, save, newId }: AssignmentSectionProps) {
  const at = assignTexts(t.locale);
  const [draft, setDraft] = useState<TeamSettings>(team);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction((s: TeamSettings) => save(s));
  useEffect(() => setDraft(team), [team]);
  const set = (p: Partial<TeamSettings>) => (setSaved(false), setProblem(null), setDraft((d) => ({ ...d, ...p })));
  const setMember = (i: number, p: Partial<TeamMember>) => set({ members: draft.members.map((m, j) => (j === i ? { ...m, ...p } : m)) });

  const submit = async (e: Event) => {
    e.preventDefault();
    // Ids first: the pattern each system gives (ERP 用户编号 digits, DingTalk userId…).
    for (const m of draft.members)
      for (const p of people) {
        const v = m.accounts[p.connectionId];
        if (v && !new RegExp(p.idPattern).test(v)) return setProblem(`${m.name}: ${at('badId', { label: `${p.connectionName} ${pick(t, p.idLabel)}` })}`);
      }
    const parsed = teamSettingsSchema.safeParse(draft);
    if (!parsed.success) return setProblem(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    if (await action.run(parsed.data)) setSaved(true);
  };

  return (
    <form class="lzo-assign" data-testid="assignment-section" noValidate onSubmit={(e) => void submit(e)}>
      <p class="lzo-desc">{at('desc')}</p>
      <fieldset class="lzo-field">
        <legend class="lzo-label">{at('mode')}</legend>
        {(['off', 'manual', 'auto'] as const).map((m) => (
          <label key={m} class="lzo-radio">
            <input type="radio" name="assign-mode" value={m} checked={draft.mode === m} data-testid={`assign-mode-${m}`} onChange={() => set({ mode: m })} />
            {at(m === 'off' ? 'modeOff' : m === 'manual' ? 'modeManual' : 'modeAuto')}
          </label>
        ))}
      </fieldset>
      {draft.mode === 'auto' && (
        <div class="lzo-inline-fields">
          <label class="lzo-field">
            <span class="lzo-label">{at('when')}</span>
            <select class="lzo-input" value={draft.when} data-testid="assign-when" onChange={(e) => set({ when: (e.currentTarget as HTMLSelectElement).value as TeamSettings['when'] })}>
              <option value="all">{at('whenAll')}</option>
              <option value="highValue">{at('whenHigh')}</option>
            </select>
          </label>
          {draft.when === 'highValue' && (
            <>
              <label class="lzo-field">
                <span class="lzo-label">{at('minIntent')}</span>
                <select
                  class="lzo-input"
                  value={draft.minIntent ?? ''}
                  data-testid="assign-min-intent"
                  onChange={(e) => {
                    const v = (e.currentTarget as HTMLSelectElement).value;
                    const { minIntent: _, ...rest } = draft;
                    set(v ? { ...rest, minIntent: v as TeamSettings['minIntent'] } : { ...rest, minIntent: undefined });
                  }}
                >
                  <option value="">{at('any')}</option>
                  {INTENT_LEVELS.map((l) => (
                    <option key={l} value={l}>
                      {t.term(l)}
                    </option>
                  ))}
                </select>
              </label>
              <label class="lzo-field">
                <span class="lzo-label">{at('minAmount')}</span>
                <input
                  class="lzo-input lzo-narrow"
                  type="number"
                  min={0}
                  step={10000}
                  value={draft.minAmount ?? ''}
                  data-testid="assign-min-amount"
                  onInput={(e) => {
                    const v = (e.currentTarget as HTMLInputElement).valueAsNumber;
                    set({ minAmount: Number.isFinite(v) ? v : undefined });
                  }}
                />
              </label>
            </>
          )}
        </div>
      )}
      {draft.mode !== 'off' && (
        <>
          <label class="lzo-switch-row">
            <input type="checkbox" class="lzo-switch" checked={draft.notifyOwner} data-testid="assign-notify" onChange={(e) => set({ notifyOwner: (e.currentTarget as HTMLInputElement).checked })} />
            <span class="lzo-switch-title">{at('notifyOwner')}</span>
          </label>
          {robots.length > 0 && (
            <div class="lzo-field">
              <span class="lzo-label">{at('robots')}</span>
              <span class="lzo-strategy-conns">
                {robots.map((r) => (
                  <label key={r.id}>
                    <input
                      type="checkbox"
                      checked={draft.robotIds.includes(r.id)}
                      data-testid={`assign-robot-${r.id}`}
                      onChange={(e) => {
                        const on = (e.currentTarget as HTMLInputElement).checked;
                        set({ robotIds: on ? [...draft.robotIds, r.id] : draft.robotIds.filter((x) => x !== r.id) });
                      }}
                    />
                    <Name value={r.name} />
                  </label>
                ))}
              </span>
            </div>
          )}
          <p class="lzo-hint">{at('rules')}</p>
          <h3 class="lzo-subhead">{at('members')}</h3>
          {people.length === 0 && <p class="lzo-hint">{at('noPeople')}</p>}
          {draft.members.length === 0 && <p class="lzo-hint">{at('noMembers')}</p>}
          <ul class="lzo-conn-list" data-testid="assign-members">
            {draft.members.map((m, i) => (
              <li key={m.id} class="lzo-member" data-testid={`assign-member-${i}`}>
                <div class="lzo-inline-fields">
                  <label class="lzo-field">
                    <span class="lzo-label">{at('name')}</span>
                    <input class="lzo-input" value={m.name} maxLength={100} data-testid="member-name" onInput={(e) => setMember(i, { name: (e.currentTarget as HTMLInputElement).value })} />
                  </label>
                  <label class="lzo-radio">
                    <input type="checkbox" checked={m.active} data-testid="member-active" onChange={(e) => setMember(i, { active: (e.currentTarget as HTMLInputElement).checked })} />
                    {at('active')}
                  </label>
                  <span class="lzo-hint">{at('load', { n: load[m.id] ?? 0 })}</span>
                  <button type="button" class="lzo-btn lzo-btn-ghost" onClick={() => set({ members: draft.members.filter((_, j) => j !== i) })}>
                    {at('remove')}
                  </button>
                </div>
                <div class="lzo-inline-fields">
                  {(['products', 'sources', 'regions'] as const).map((k) => (
                    <label key={k} class="lzo-field">
                      <span class="lzo-label">{at(k)}</span>
                      <input class="lzo-input" value={m[k].join('，')} placeholder={at('listHint')} data-testid={`member-${k}`} onChange={(e) => setMember(i, { [k]: words((e.currentTarget as HTMLInputElement).value) })} />
                    </label>
                  ))}
                </div>
                {people.length > 0 && (
                  <div class="lzo-inline-fields">
                    {people.map((p) => (
                      <label key={p.connectionId} class="lzo-field" title={pick(t, p.idHelp)}>
                        <span class="lzo-label">
                          <Name value={p.connectionName} /> {pick(t, p.idLabel)}（{[p.assign ? at('canAssign') : '', p.notify ? at('canNotify') : ''].filter(Boolean).join(' · ')}）
                        </span>
                        <input
                          class="lzo-input"
                          value={m.accounts[p.connectionId] ?? ''}
                          maxLength={64}
                          data-testid={`member-account-${p.connectionId}`}
                          onInput={(e) => {
                            const v = (e.currentTarget as HTMLInputElement).value.trim();
                            const { [p.connectionId]: _, ...rest } = m.accounts;
                            setMember(i, { accounts: v ? { ...rest, [p.connectionId]: v } : rest });
                          }}
                        />
                      </label>
                    ))}
                  </div>
                )}
              </li>
            ))}
          </ul>
          <button
            type="button"
            class="lzo-btn"
            data-testid="assign-add-member"
            onClick={() => set({ members: [...draft.members, { id: newId(), name: '', active: true, products: [], sources: [], regions: [], accounts: {} }] })}
          >
            {at('add')}
          </button>
        </>
      )}
      <div class="lzo-actions">
        <button type="submit" class="lzo-btn lzo-btn-primary" data-testid="assign-save" disabled={action.busy}>
          {at('save')}
        </button>
        <span aria-live="polite">
          {problem ? (
            <span class="lzo-bad" role="alert" data-testid="assign-problem">
              {problem}
            </span>
          ) : action.error !== null ? (
            <span class="lzo-bad" role="alert" data-testid="assign-problem">
              {at('failed')}: {action.error ? errorDisplay(t, action.error).text : t('error.generic')}
            </span>
          ) : saved ? (
            <span class="lzo-ok" data-testid="assign-saved">
              {at('saved')}
            </span>
          ) : null}
        </span>
      </div>
    </form>
  );
}
