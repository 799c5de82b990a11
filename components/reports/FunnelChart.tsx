// The stage funnel 新客户 → … → 成交 (流失 beside it): bars drawn with CSS (a funnel is a ranked
// list of widths; no canvas needed, and it prints), with the numbers in a table.
import type { T } from '../../lib/i18n';
import type { Report } from '../../lib/stats/report';
import { formats } from './format';

export function FunnelChart({ t, funnel }: { t: T; funnel: Report['funnel'] }) {
  const f = formats(t);
  const max = Math.max(1, ...funnel.steps.map((s) => s.reached));
  return (
    <figure class="lzr-block" data-testid="funnel">
      <figcaption class="lzr-block-title">{t('report.funnel')}</figcaption>
      <div class="lzr-block-body">
        <ol class="lzr-funnel" aria-hidden="true">
          {funnel.steps.map((s) => (
            <li key={s.stage}>
              <span class="lzr-funnel-label">{t.term(s.stage)}</span>
              <span class="lzr-funnel-bar" style={{ width: `${Math.max(2, (s.reached / max) * 100)}%` }} />
              <span class="lzr-funnel-n">{f.int(s.reached)}</span>
            </li>
          ))}
        </ol>
        <div class="lzr-table-wrap">
          <table class="lzr-table" data-testid="chart-table">
            <thead>
              <tr>
                <th scope="col">{t('field.stage')}</th>
                <th scope="col" class="lzr-num">{t('report.reached')}</th>
                <th scope="col" class="lzr-num">{t('report.current')}</th>
                <th scope="col" class="lzr-num">{t('report.conversion')}</th>
                <th scope="col" class="lzr-num">{t('report.medianDays')}</th>
              </tr>
            </thead>
            <tbody>
              {funnel.steps.map((s) => (
                <tr key={s.stage}>
                  <th scope="row">{t.term(s.stage)}</th>
                  <td class="lzr-num">{f.int(s.reached)}</td>
                  <td class="lzr-num">{f.int(s.current)}</td>
                  <td class="lzr-num">{f.pct(s.conversion)}</td>
                  <td class="lzr-num">
                    {f.days(s.medianDays)}
                    {s.medianApprox && <span title={t('report.approx')}>*</span>}
                  </td>
                </tr>
              ))}
              {funnel.lostStage && (
                <tr>
                  <th scope="row">{t.term(funnel.lostStage)}</th>
                  <td class="lzr-num">—</td>
                  <td class="lzr-num">{f.int(funnel.lost)}</td>
                  <td class="lzr-num">{f.pct(funnel.total ? funnel.lost / funnel.total : null)}</td>
                  <td class="lzr-num">—</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </div>
    </figure>
  );
}
