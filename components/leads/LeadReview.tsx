// 过滤有效线索 → 导入: the review list of leads extracted from a page. Pure: the entrypoint
// loads the review and imports through the background. New, valid leads start selected;
// duplicates and leads without a valid contact start unselected but can still be picked (a
// duplicate then merges into the customer, as in spreadsheet import).
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { LeadReview as Review, ReviewLead } from '../../lib/leads/review';
import type { LeadImportResult, LeadToImport } from '../../lib/leads/import';
import type { LeadT } from './texts';
import { Name } from '../shared/Name';

export interface LeadReviewProps {
  t: LeadT;
  review: Review | null;
  error?: string;
  sources: readonly string[];
  onImport(input: { leads: LeadToImport[]; source: string; keyword: string }): Promise<LeadImportResult>;
  /** Beside the import button (the page's 导入到 target choice). */
  actions?: ComponentChildren;
}

const importable = (l: ReviewLead) => l.phones.length > 0 || !!l.wechatId;

export function LeadReview({ t, review, error, sources, onImport, actions }: LeadReviewProps) {
  const initial = useMemo(() => new Set((review?.leads ?? []).filter((l) => l.status === 'new').map((l) => l.id)), [review]);
  const [picked, setPicked] = useState<Set<number> | null>(null);
  const selected = picked ?? initial;
  const [names, setNames] = useState<Record<number, string>>({});
  const [source, setSource] = useState('');
  const [keyword, setKeyword] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<LeadImportResult | null>(null);
  const [failure, setFailure] = useState<string | undefined>();

  if (error) return <p class="lzl-error" role="alert" data-testid="leads-error">{error}</p>;
  if (!review) return <p aria-busy="true">{t('loading')}</p>;

  const toggle = (id: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setPicked(next);
  };
  const chosen = review.leads.filter((l) => selected.has(l.id) && importable(l));
  const submit = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const leads = chosen.map((l) => ({
        name: (names[l.id] ?? l.name).trim() || l.name,
        phones: l.phones,
        ...(l.wechatId ? { wechatId: l.wechatId } : {}),
        notes: l.content,
      }));
      const out = await onImport({ leads, source, keyword: keyword ?? review.keyword ?? '' });
      setResult(out);
      // Failed leads stay picked, so a retry is one click.
      setPicked(out.result.counts.failed > 0 ? new Set(selected) : new Set());
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="lzl" data-testid="lead-review">
      <h1>{t('title')}</h1>
      <p class="lzl-from">
        {t('from')}: <a href={review.url} target="_blank" rel="noreferrer">{review.title || review.url}</a>
      </p>
      <p data-testid="lead-counts">
        {t('counts', { new: review.counts.new, local: review.counts['duplicate-local'], page: review.counts['duplicate-page'], invalid: review.counts.invalid })}
      </p>
      {review.leads.length === 0 ? (
        <p data-testid="leads-empty">{t('empty')}</p>
      ) : (
        <>
          <div class="lzl-controls">
            <label>
              {t('source')}{' '}
              <input data-testid="lead-source" list="lzl-sources" value={source} onInput={(e) => setSource(e.currentTarget.value)} />
              <datalist id="lzl-sources">{sources.map((s) => <option key={s} value={s} />)}</datalist>
            </label>
            <label>
              {t('keyword')}{' '}
              <input data-testid="lead-keyword" value={keyword ?? review.keyword ?? ''} onInput={(e) => setKeyword(e.currentTarget.value)} />
            </label>
            <button type="button" onClick={() => setPicked(new Set(review.leads.filter((l) => l.status === 'new').map((l) => l.id)))}>{t('selectAll')}</button>
            <button type="button" onClick={() => setPicked(new Set())}>{t('selectNone')}</button>
          </div>
          <table class="lzl-table">
            <thead>
              <tr>
                <th />
                <th>{t('status')}</th>
                <th>{t('name')}</th>
                <th>{t('phones')}</th>
                <th>{t('wechat')}</th>
                <th>{t('content')}</th>
              </tr>
            </thead>
            <tbody>
              {review.leads.map((l) => (
                <tr key={l.id} data-testid="lead-row" data-status={l.status} class={`lzl-${l.status}`}>
                  <td>
                    <input
                      type="checkbox"
                      data-testid="lead-pick"
                      aria-label={l.name}
                      disabled={!importable(l)}
                      checked={selected.has(l.id) && importable(l)}
                      onChange={(e) => toggle(l.id, e.currentTarget.checked)}
                    />
                  </td>
                  <td data-testid="lead-status">
                    {t(`status.${l.status}`)}
                    {l.duplicateOf && 'customerName' in l.duplicateOf ? (
                      <>
                        : <Name value={l.duplicateOf.customerName} />
                      </>
                    ) : null}
                  </td>
                  <td>
                    <input data-testid="lead-name" value={names[l.id] ?? l.name} onInput={(e) => setNames({ ...names, [l.id]: e.currentTarget.value })} />
                  </td>
                  <td data-testid="lead-phones">
                    {l.phones.join(', ')}
                    {l.invalidPhones.map((p) => (
                      <s key={p} title={t('invalidPhone')}> {p}</s>
                    ))}
                  </td>
                  <td>{l.wechatId ?? ''}</td>
                  <td class="lzl-content">{l.content.slice(0, 160)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {actions}
          <button type="button" class="lzl-primary" data-testid="lead-import" disabled={busy || chosen.length === 0} onClick={() => void submit()}>
            {busy ? t('importing') : t('import', { n: chosen.length })}
          </button>
        </>
      )}
      {failure && <p class="lzl-error" role="alert">{failure}</p>}
      {result && (
        <p data-testid="lead-result" role="status">
          {t('result', {
            imported: result.imported,
            created: result.result.counts.created,
            merged: result.result.counts.merged,
            skipped: result.result.counts.skipped,
            failed: result.result.counts.failed,
          })}
        </p>
      )}
    </div>
  );
}
