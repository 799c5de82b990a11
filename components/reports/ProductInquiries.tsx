// 产品咨询统计 (seed 003): which products were asked about, by how many customers, and how many
// of them went on to a deal for that product.
import type { T } from '../../lib/i18n';
import type { ProductInquiry } from '../../lib/stats/report';
import { ChartBlock } from './Chart';
import { formats } from './format';

export function ProductInquiries({ t, rows }: { t: T; rows: ProductInquiry[] }) {
  const f = formats(t);
  return (
    <ChartBlock
      locale={t.locale}
      testid="product-inquiries"
      type="bar"
      title={t('report.inquiries')}
      labels={rows.map((r) => t.term(r.product))}
      series={[
        { label: t('report.inquiryCustomers'), data: rows.map((r) => r.customers) },
        { label: t('report.inquiryDeals'), data: rows.map((r) => r.withDeal) },
      ]}
      table={
        <table class="lzr-table" data-testid="chart-table">
          <thead>
            <tr>
              <th scope="col">{t('field.product')}</th>
              <th scope="col" class="lzr-num">{t('report.mentions')}</th>
              <th scope="col" class="lzr-num">{t('report.inquiryCustomers')}</th>
              <th scope="col" class="lzr-num">{t('report.inquiryDeals')}</th>
              <th scope="col" class="lzr-num">{t('report.conversion')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={5} class="lzr-empty">{t('report.noData')}</td>
              </tr>
            )}
            {rows.map((r) => (
              <tr key={r.product}>
                <th scope="row">{t.term(r.product)}</th>
                <td class="lzr-num">{f.int(r.mentions)}</td>
                <td class="lzr-num">{f.int(r.customers)}</td>
                <td class="lzr-num">{f.int(r.withDeal)}</td>
                <td class="lzr-num">{f.pct(r.conversion)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
