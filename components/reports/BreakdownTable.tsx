// A count (and optional amount) per value: 来源渠道, 意向产品, 跟进方式…
import type { T } from '../../lib/i18n';
import type { CountRow } from '../../lib/stats/report';
import { formats, termLabel } from './format';

export interface BreakdownTableProps {
  t: T;
  /** Header of the first column. */
  label: string;
  rows: CountRow[];
  showAmount?: boolean;
  testid?: string;
}

export function BreakdownTable({ t, label, rows, showAmount, testid = 'chart-table' }: BreakdownTableProps) {
  const f = formats(t);
  return (
    <table class="lzr-table" data-testid={testid}>
      <thead>
        <tr>
          <th scope="col">{label}</th>
          <th scope="col" class="lzr-num">{t('report.count')}</th>
          {showAmount && <th scope="col" class="lzr-num">{t('report.amount')}</th>}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={showAmount ? 3 : 2} class="lzr-empty">{t('report.noData')}</td>
          </tr>
        )}
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{termLabel(t, r.key)}</th>
            <td class="lzr-num">{f.int(r.count)}</td>
            {showAmount && <td class="lzr-num">{f.money(r.amount ?? 0)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
