// The options page: one scrolling form with a left nav (every section is always in the
// page, so the browser's find and keyboard Tab reach every setting), validated per field
// before anything is saved.
import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { Section } from './Section';
import { useSectionSpy } from './section-spy';
import type { T } from '../../lib/i18n';
import type { Settings } from '../../lib/model';
import { useAction } from '../sidebar/async';
import { errorDisplay } from '../../lib/i18n/bilingual';
import { CodeSection } from './CodeSection';
import { ConnectionsSection, type ConnectionsProps } from './ConnectionsSection';
import { DataSection, type DataActions } from './DataSection';
import { LanguageSection } from './LanguageSection';
import { ListsSection } from './ListsSection';
import { PrivacySection } from './PrivacySection';
import { RobotsSection, type RobotsProps } from './RobotsSection';
import { RemindersSection } from './RemindersSection';
import { TeamSyncSection } from './TeamSyncSection';
import { UnderstandingSection, type UnderstandingProps } from './UnderstandingSection';
import { cleanSettings, validateSettings, type SettingsErrors } from './validate';
import './options.css';

export interface OptionsActions extends DataActions {
  save(s: Settings): Promise<void>;
}

export interface OptionsProps {
  t: T;
  settings: Settings;
  actions: OptionsActions;
  onDownload(filename: string, json: string): void;
  now: number;
  /** CRM connections; absent while loading. */
  connections?: Omit<ConnectionsProps, 't'>;
  /** 群机器人 (group robots to notify); absent while loading. */
  robots?: Omit<RobotsProps, 't'>;
  /** Data sections rendered by the entrypoint (reports, customer list, import/export), each with its own actions. */
  panels?: { id: 'reports' | 'customers' | 'importExport' | 'customSites' | 'sites' | 'strategy' | 'mapping' | 'assignment'; node: ComponentChildren }[];
  /** 理解与自动记录 (auto-logging, rules, LLM); saves on its own. Absent while loading. */
  understanding?: Omit<UnderstandingProps, 't'>;
}

const NAV = ['connections', 'robots', 'strategy', 'assignment', 'mapping', 'understanding', 'reports', 'customers', 'importExport', 'sites', 'customSites', 'code', 'team', 'lists', 'reminders', 'privacy', 'language', 'data'] as const;

export function Options({ t, settings, actions, onDownload, now, connections, robots, panels = [], understanding }: OptionsProps) {
  const [draft, setDraft] = useState<Settings>(settings);
  // Errors appear after the first save attempt, then follow edits live (not while typing the first time).
  const [showErrors, setShowErrors] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(() => setDraft(settings), [settings]);

  const errors: SettingsErrors = validateSettings(t, draft);
  const visible: SettingsErrors = showErrors ? errors : { codeFormat: errors.codeFormat, tempCodeFormat: errors.tempCodeFormat };
  const invalid = Object.keys(errors).length > 0;
  const dirty = JSON.stringify(draft) !== JSON.stringify(settings);

  const save = useAction((s: Settings) => actions.save(s));
  const set = (p: Partial<Settings>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...p }));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setShowErrors(true);
    if (invalid) return;
    if (await save.run(cleanSettings(draft))) setSaved(true);
  };

  // The sections shown (data panels and loading parts only once they exist), in nav order.
  const shown = NAV.filter((id) => !['reports', 'customers', 'importExport', 'sites', 'customSites', 'strategy', 'mapping', 'assignment'].includes(id) || panels.some((p) => p.id === id)).filter((id) => id !== 'understanding' || !!understanding).filter((id) => id !== 'robots' || !!robots);
  const [active, go] = useSectionSpy(shown);

  return (
    <div class="lzo" lang={t.locale === 'zh_CN' ? 'zh-CN' : 'en'} data-testid="options">
      <nav class="lzo-nav" aria-label={t('options.title')}>
        <div class="lzo-brand">
          <span class="lzo-logo" aria-hidden="true">
            联
          </span>
          <span>{t('options.title')}</span>
        </div>
        <ul>
          {shown.map((id) => (
            <li key={id}>
              <a
                href={`#lzo-${id}`}
                class={`lzo-nav-item${active === id ? ' lzo-nav-on' : ''}`}
                aria-current={active === id ? 'true' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  go(id);
                }}
              >
                {t(`options.nav.${id}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main class="lzo-main">
        {/* Connections save on their own (each has its own form and test), outside the settings form. */}
        {connections && <ConnectionsSection t={t} {...connections} />}
        {robots && <RobotsSection t={t} {...robots} />}
        {understanding && <UnderstandingSection t={t} {...understanding} />}
        {panels.map((p) => (
          <Section key={p.id} id={p.id} title={t(`options.nav.${p.id}`)}>
            {p.node}
          </Section>
        ))}
        {/* One form so Enter in any field saves; export/import inside it use type="button" and act at once. */}
        <form noValidate onSubmit={(e) => void submit(e)}>
          <CodeSection t={t} value={draft.codeFormat} error={visible.codeFormat} now={now} onChange={(v) => set({ codeFormat: v })} />
          <TeamSyncSection t={t} settings={draft} errors={visible} now={now} set={set} />
          <ListsSection t={t} settings={draft} errors={visible} onChange={(k, items) => set({ [k]: items })} />
          <RemindersSection t={t} settings={draft} errors={visible} set={set} />
          <PrivacySection t={t} settings={draft} set={set} />
          <LanguageSection t={t} value={draft.language} set={set} />
          <DataSection t={t} actions={actions} onDownload={onDownload} now={now} />
        <div class="lzo-savebar" role="region" aria-label={t('common.save')}>
          <div class="lzo-savebar-status" aria-live="polite">
            {showErrors && invalid ? (
              <span class="lzo-bad">{t('options.fixErrors')}</span>
            ) : save.error !== null ? (
              <span class="lzo-bad" role="alert">
                {save.error ? errorDisplay(t, save.error).text : t('error.generic')}
              </span>
            ) : saved ? (
              <span class="lzo-ok">{t('options.saved')}</span>
            ) : dirty ? (
              <span class="lzo-hint">{t('options.unsaved')}</span>
            ) : null}
          </div>
          <button type="button" class="lzo-btn lzo-btn-ghost" disabled={!dirty || save.busy} onClick={() => (setDraft(settings), setShowErrors(false))}>
            {t('options.reset')}
          </button>
          <button type="submit" class="lzo-btn lzo-btn-primary" data-testid="save-settings" disabled={save.busy} aria-busy={save.busy}>
            {save.busy ? t('common.saving') : t('common.save')}
          </button>
        </div>
        </form>
      </main>
    </div>
  );
}
