// 每周统计: the report for a range (this week / last week / this month / custom). Pure: the
// page computes the Report (a message to the background) and passes it in; a range change
// is a callback. Every chart has its numbers in a table beside it; the page prints cleanly.
import { useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { Report } from '../../lib/stats/report';
import { dayKey, parseDayKey, presetRange, type Range, type RangePreset } from '../../lib/stats/time';
import { BreakdownTable } from './BreakdownTable';
import { ChartBlock } from './Chart';
import { FunnelChart } from './FunnelChart';
import { ProductInquiries } from './ProductInquiries';
import { formats, termLabel } from './format';

export interface ReportViewProps {
  t: T;
  report: Report | null;
  preset: RangePreset;
  range: Range;
  tz: string;
  now: number;
  onRangeChange: (preset: RangePreset, range: Range) => void;
  loading?: boolean;
  error?: string | null;
  /** Customer names for the missed follow-ups list; ids are shown when absent. */
  names?: Record<string, string>;
}

const PRESETS: RangePreset[] = ['thisWeek', 'lastWeek', 'thisMonth', 'custom'];
const DAY = 86_400_000;

export function ReportView({ t, report, preset, range, tz, now, onRangeChange, loading, error, names = {} }: ReportViewProps) {
  const f = formats(t);
  const [customFrom, setCustomFrom] = useState(dayKey(range.from, tz));
  const [customTo, setCustomTo] = useState(dayKey(range.to - 1, tz));
  const applyCustom = () => {
    const from = parseDayKey(customFrom, tz);
    const last = parseDayKey(customTo, tz);
    if (from === undefined || last === undefined || last < from) return;
    // The end date is inclusive for people: the range runs to the next midnight.
    onRangeChange('custom', { from, to: parseDayKey(dayKey(last + DAY + DAY / 2, tz), tz) ?? last + DAY });
  };

  return (
    <div class="lzr" data-testid="report-view">
      <div class="lzr-toolbar" role="group" aria-label={t('report.range')}>
        {PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            class={p === preset ? 'lzr-seg lzr-seg-on' : 'lzr-seg'}
            aria-pressed={p === preset}
            data-testid={`range-${p}`}
            onClick={() => (p === 'custom' ? onRangeChange('custom', range) : onRangeChange(p, presetRange(p, now, tz)))}
          >
            {t(`report.preset.${p}`)}
          </button>
        ))}
        {preset === 'custom' && (
          <span class="lzr-custom">
            <input type="date" value={customFrom} aria-label={t('report.from')} data-testid="range-from" onInput={(e) => setCustomFrom(e.currentTarget.value)} />
            <span>–</span>
            <input type="date" value={customTo} aria-label={t('report.to')} data-testid="range-to" onInput={(e) => setCustomTo(e.currentTarget.value)} />
            <button type="button" class="lzr-seg" data-testid="range-apply" onClick={applyCustom}>
              {t('report.apply')}
            </button>
          </span>
        )}
        <span class="lzr-range-label">
          {dayKey(range.from, tz)} – {dayKey(range.to - 1, tz)}
        </span>
        <button type="button" class="lzr-seg lzr-print" onClick={() => globalThis.print?.()}>
          {t('report.print')}
        </button>
      </div>

      {error && <p class="lzr-error" role="alert">{error || t('error.generic')}</p>}
      {loading && !report && <p class="lzr-muted">{t('common.loading')}</p>}
      {report && (
        <>
          <dl class="lzr-headline" data-testid="report-headline" aria-busy={loading ? 'true' : 'false'}>
            <Stat label={t('report.newCustomers')} value={f.int(report.headline.newCustomers)} id="new" />
            <Stat label={t('report.followUps')} value={f.int(report.headline.followUps)} id="followUps" />
            <Stat label={t('report.dealsClosed')} value={f.int(report.headline.dealsClosed)} id="deals" />
            <Stat label={t('report.dealAmount')} value={f.money(report.headline.dealAmount)} id="amount" />
            <Stat label={t('report.missed')} value={`${f.int(report.headline.missed)} / ${f.int(report.headline.remindersDue)}`} id="missed" />
          </dl>

          <div class="lzr-grid">
            <ChartBlock
              locale={t.locale}
              testid="trend"
              type="bar"
              title={t('report.trend')}
              labels={report.newByDay.map((d) => d.key.slice(5))}
              series={[
                { label: t('report.newCustomers'), data: report.newByDay.map((d) => d.count) },
                { label: t('report.followUps'), data: report.followUpsByDay.map((d) => d.count) },
              ]}
              table={
                <table class="lzr-table" data-testid="chart-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('report.day')}</th>
                      <th scope="col" class="lzr-num">{t('report.newCustomers')}</th>
                      <th scope="col" class="lzr-num">{t('report.followUps')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.newByDay.map((d, i) => (
                      <tr key={d.key}>
                        <th scope="row">{d.key}</th>
                        <td class="lzr-num">{f.int(d.count)}</td>
                        <td class="lzr-num">{f.int(report.followUpsByDay[i]?.count ?? 0)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              }
            />
            <ChartBlock
              locale={t.locale}
              testid="stage-moves"
              type="bar"
              horizontal
              title={t('report.stageMoves')}
              labels={report.stageMoves.map((m) => t.term(m.key))}
              series={[{ label: t('report.count'), data: report.stageMoves.map((m) => m.count) }]}
              table={<BreakdownTable t={t} label={t('field.stage')} rows={report.stageMoves} />}
            />
            <FunnelChart t={t} funnel={report.funnel} />
            <ChartBlock
              locale={t.locale}
              testid="by-source"
              type="doughnut"
              title={t('report.bySource')}
              labels={report.bySource.map((r) => termLabel(t, r.key))}
              series={[{ label: t('report.newCustomers'), data: report.bySource.map((r) => r.count) }]}
              table={<BreakdownTable t={t} label={t('field.source')} rows={report.bySource} />}
            />
            <ChartBlock
              locale={t.locale}
              testid="by-product"
              type="bar"
              title={t('report.byProduct')}
              labels={report.byProduct.map((r) => termLabel(t, r.key))}
              series={[{ label: t('report.newCustomers'), data: report.byProduct.map((r) => r.count) }]}
              table={<BreakdownTable t={t} label={t('field.product')} rows={report.byProduct} showAmount />}
            />
            <ChartBlock
              locale={t.locale}
              testid="deals"
              type="bar"
              title={t('report.dealsByProduct')}
              labels={report.deals.byProduct.map((r) => t.term(r.key))}
              series={[{ label: t('report.amount'), data: report.deals.byProduct.map((r) => r.amount ?? 0) }]}
              table={<BreakdownTable t={t} label={t('field.product')} rows={report.deals.byProduct} showAmount />}
            />
            <ChartBlock
              locale={t.locale}
              testid="by-method"
              type="bar"
              title={t('report.byMethod')}
              labels={report.followUpsByMethod.map((r) => t.term(r.key))}
              series={[{ label: t('report.followUps'), data: report.followUpsByMethod.map((r) => r.count) }]}
              table={<BreakdownTable t={t} label={t('field.method')} rows={report.followUpsByMethod} />}
            />
            <ProductInquiries t={t} rows={report.productInquiries} />
          </div>

          <section class="lzr-block" data-testid="by-owner">
            <h3 class="lzr-block-title">{t('report.byOwner')}</h3>
            <table class="lzr-table" data-testid="chart-table">
              <thead>
                <tr>
                  <th scope="col">{t('report.owner')}</th>
                  <th scope="col" class="lzr-num">{t('report.newCustomers')}</th>
                  <th scope="col" class="lzr-num">{t('report.followUps')}</th>
                  <th scope="col" class="lzr-num">{t('report.dealsClosed')}</th>
                  <th scope="col" class="lzr-num">{t('report.dealAmount')}</th>
                </tr>
              </thead>
              <tbody>
                {report.byOwner.map((o) => (
                  <tr key={o.owner}>
                    <th scope="row">{o.owner || t('report.notSet')}</th>
                    <td class="lzr-num">{f.int(o.newCustomers)}</td>
                    <td class="lzr-num">{f.int(o.followUps)}</td>
                    <td class="lzr-num">{f.int(o.deals)}</td>
                    <td class="lzr-num">{f.money(o.dealAmount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <section class="lzr-block" data-testid="missed">
            <h3 class="lzr-block-title">{t('report.missedTitle', { onTime: report.missed.onTime, late: report.missed.late, open: report.missed.open })}</h3>
            {report.missed.items.length > 0 && (
              <ul class="lzr-missed">
                {report.missed.items.map((m) => (
                  <li key={m.reminderId}>
                    <span>{names[m.customerId] ?? m.customerId}</span>
                    <span class="lzr-muted">{t.formatDateTime(m.dueAt)}</span>
                    <span class={m.kind === 'open' ? 'lzr-badge lzr-badge-open' : 'lzr-badge'}>{t(`report.missed.${m.kind}`)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          {report.approximations.length > 0 && (
            <aside class="lzr-notes" data-testid="report-approx">
              <h3>{t('report.approxTitle')}</h3>
              <ul>
                {report.approximations.map((a) => (
                  <li key={a}>{t(`report.approx.${a}`)}</li>
                ))}
              </ul>
            </aside>
          )}
        </>
      )}
    </div>
  );
}

function Stat({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <div class="lzr-stat" data-testid={`headline-${id}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
