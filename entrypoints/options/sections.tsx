// The options page's data sections (报表, 客户列表, 导入导出): the pure components from
// components/reports and components/customers, wired to the background here.
import '@/components/reports/reports.css';
import '@/components/customers/customers.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ReportView } from '@/components/reports/ReportView';
import { CustomerList } from '@/components/customers/CustomerList';
import { ImportWizard } from '@/components/customers/ImportWizard';
import type { T } from '@/lib/i18n';
import { onChanged, send } from '@/lib/messaging/client';
import type { ResponseOf } from '@/lib/messaging/protocol';
import type { Settings } from '@/lib/model';
import { presetRange, type RangePreset } from '@/lib/stats/time';
import type { Report } from '@/lib/stats/report';
import type { Range } from '@/lib/stats/time';
import type { ImportPlan } from '@/lib/sheets/import';
import type { ExportKind } from '@/lib/sheets/export';
import { loadSheetWriters, readSheetFile } from './lazy-parts';
import { useAction } from '@/components/sidebar/async';
import { SitesHealth, type SiteHealthRow } from '@/components/options/SitesHealthSection';
import type { CopyOutcome } from '@/components/sidebar/HealthBanner';
import { readers } from '@/lib/readers/registry';
import { StrategySection } from '@/components/options/StrategySection';
import { AssignmentSection } from '@/components/options/AssignmentSection';
import { MappingSection } from '@/components/options/MappingSection';
import type { Strategy } from '@/lib/strategy/schema';

const TZ = Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai';

export function ReportsPanel({ t }: { t: T }) {
  const [preset, setPreset] = useState<RangePreset>('thisWeek');
  const [range, setRange] = useState<Range>(() => presetRange('thisWeek', Date.now(), TZ));
  const [report, setReport] = useState<Report | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Recomputed when data changes anywhere (a follow-up beside a chat, an import here).
  const [version, setVersion] = useState(0);
  useEffect(() => onChanged((e) => e.tables.some((n) => ['customers', 'followUps', 'deals', 'reminders'].includes(n)) && setVersion((v) => v + 1)), []);
  useEffect(() => {
    let live = true;
    setLoading(true);
    send('report.compute', { from: range.from, to: range.to, tz: TZ })
      .then((r) => live && (setReport(r), setError(null)))
      .catch((e: Error) => live && setError(e.message))
      .finally(() => live && setLoading(false));
    return () => void (live = false);
  }, [range.from, range.to, version]);
  return (
    <ReportView
      t={t}
      report={report}
      preset={preset}
      range={range}
      tz={TZ}
      now={Date.now()}
      loading={loading}
      error={error}
      onRangeChange={(p, r) => {
        setPreset(p);
        setRange(r);
      }}
    />
  );
}

export function CustomersPanel({ t, settings }: { t: T; settings: Settings }) {
  return (
    <CustomerList
      t={t}
      stages={settings.stages}
      sources={settings.sources}
      tags={[]}
      now={Date.now()}
      load={(q) => send('customer.list', q)}
      selectAllMatching={async (q) => (await send('customer.ids', q)).ids}
      onBulkUpdate={(ids, patch) => send('customer.bulkUpdate', { ids, patch })}
    />
  );
}

function download(filename: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ImportExportPanel({ t, settings }: { t: T; settings: Settings }) {
  // The plan lives in the background; the page only remembers which id belongs to which preview.
  const planIds = useRef(new WeakMap<ImportPlan, string>());
  const [kind, setKind] = useState<ExportKind>('customers');
  const [format, setFormat] = useState<'xlsx' | 'csv'>('xlsx');
  const [stage, setStage] = useState('');
  const exp = useAction(async () => {
    const table = await send('export.rows', { kind, tz: TZ, ...(stage ? { stage } : {}) });
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    // The writers arrive with import() on the first export; the button says 处理中 meanwhile.
    const { toCsv, toXlsx } = await loadSheetWriters(t.locale);
    const blob = format === 'csv' ? new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' }) : await toXlsx(table);
    download(`liaison-${kind}-${day}.${format}`, blob);
  });
  return (
    <div class="lzo-stack">
      <ImportWizard
        t={t}
        onFile={(file) => readSheetFile(t.locale, file)}
        plan={async (sheet, mapping) => {
          const { planId, plan } = await send('import.plan', { sheet, mapping, tz: TZ });
          planIds.current.set(plan, planId);
          return plan;
        }}
        apply={async (plan) => {
          const planId = planIds.current.get(plan);
          if (!planId) throw new Error(t('import.expired'));
          return send('import.apply', { planId });
        }}
        undo={(importId) => send('import.undo', { importId })}
      />
      <div class="lzo-card" data-testid="export-sheet">
        <h3 class="lzo-subhead">{t('export.title')}</h3>
        <div class="lzo-row">
          <select class="lzo-input" value={kind} data-testid="export-kind" onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as ExportKind)}>
            <option value="customers">{t('export.customers')}</option>
            <option value="followUps">{t('export.followUps')}</option>
            <option value="deals">{t('export.deals')}</option>
          </select>
          <select class="lzo-input" value={stage} onChange={(e) => setStage((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('export.allStages')}</option>
            {settings.stages.map((s) => (
              <option key={s} value={s}>
                {t.term(s)}
              </option>
            ))}
          </select>
          <select class="lzo-input" value={format} data-testid="export-format" onChange={(e) => setFormat((e.currentTarget as HTMLSelectElement).value as 'xlsx' | 'csv')}>
            <option value="xlsx">Excel (.xlsx)</option>
            <option value="csv">CSV</option>
          </select>
          <button type="button" class="lzo-btn lzo-btn-primary" data-testid="export-sheet-button" disabled={exp.busy} onClick={() => void exp.run()}>
            {exp.busy ? t('common.working') : t('export.button')}
          </button>
        </div>
        {exp.error !== null && (
          <p class="lzo-field-error" role="alert">
            {exp.error || t('error.generic')}
          </p>
        )}
      </div>
    </div>
  );
}

/** 网站状态: the last reader health report of every built-in site. */
export function SitesPanel({ t }: { t: T }) {
  const [reports, setReports] = useState<SiteHealthRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    send('health.get', {})
      .then((r) => setReports(r.sites))
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <>
      {error && <p class="lzo-field-error">{error}</p>}
      <SitesHealth t={t} sites={readers.map((r) => ({ id: r.id, host: r.matches.join(' ') }))} reports={reports} onCopy={copySiteStructure} />
    </>
  );
}

/** 复制页面结构 of a site: the background asks an open tab of it; copied, or shown to copy by hand. */
async function copySiteStructure(site: string): Promise<CopyOutcome> {
  const { skeleton } = await send('diagnostics.skeleton', { site });
  if (skeleton === null) return { kind: 'noTab' };
  try {
    await navigator.clipboard.writeText(skeleton);
    return { kind: 'copied' };
  } catch {
    return { kind: 'manual', text: skeleton };
  }
}

/** 多 CRM 策略: the strategy and the connections from the background, saved through strategy.save. */
/** The remote connections (names for pickers), kept current as connections change. */
function useRemoteConnections(): { connections: { id: string; name: string }[] | null; error: string | null } {
  const [connections, setConnections] = useState<{ id: string; name: string }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = () =>
      send('connection.list', {})
        .then((r) => setConnections(r.connections.filter((c) => c.kind !== 'local').map((c) => ({ id: c.id, name: c.name }))))
        .catch((e: Error) => setError(e.message));
    void load();
    return onChanged((e) => void (e.tables.includes('connections') && load()));
  }, []);
  return { connections, error };
}

export function StrategyPanel({ t }: { t: T }) {
  const [strategy, setStrategy] = useState<Strategy | null>(null);
  const [robots, setRobots] = useState<{ id: string; name: string }[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { connections, error: listError } = useRemoteConnections();
  const error = loadError ?? listError;
  useEffect(() => {
    send('strategy.get', {})
      .then((r) => setStrategy(r.strategy))
      .catch((e: Error) => setLoadError(e.message));
    send('robot.list', {})
      .then((r) => setRobots(r.robots.map((x) => ({ id: x.id, name: x.name }))))
      .catch(() => undefined);
  }, []);
  if (!strategy || !connections) return <p class="loading">{error ?? '…'}</p>;
  return (
    <StrategySection
      t={t}
      connections={connections}
      value={strategy}
      robots={robots}
      save={async (s) => setStrategy((await send('strategy.save', { strategy: s })).strategy)}
    />
  );
}

/** 团队与分配: the team and the connections that assign or notify (team.get), the robots for group posts, saved through team.save. */
export function AssignmentPanel({ t }: { t: T }) {
  const [view, setView] = useState<ResponseOf<'team.get'> | null>(null);
  const [robots, setRobots] = useState<{ id: string; name: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = () =>
      Promise.all([send('team.get', {}), send('robot.list', {})])
        .then(([v, r]) => (setView(v), setRobots(r.robots.map((x) => ({ id: x.id, name: x.name })))))
        .catch((e: Error) => setError(e.message));
    void load();
    return onChanged((e) => void (e.tables.includes('connections') && load()));
  }, []);
  if (!view) return <p class="loading">{error ?? '…'}</p>;
  return (
    <AssignmentSection
      t={t}
      team={view.team}
      people={view.people}
      robots={robots}
      load={view.load}
      newId={() => `m${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`}
      save={async (team) => {
        const r = await send('team.save', { team });
        setView({ ...view, team: r.team });
      }}
    />
  );
}

export function MappingPanel({ t }: { t: T }) {
  const { connections, error } = useRemoteConnections();
  if (!connections) return <p class="loading">{error ?? '…'}</p>;
  return (
    <MappingSection
      t={t}
      connections={connections}
      load={(connectionId) => send('mapping.get', { connectionId })}
      preview={(connectionId, templates) => send('mapping.preview', { connectionId, templates })}
      save={(connectionId, templates) => send('mapping.save', { connectionId, templates })}
    />
  );
}
