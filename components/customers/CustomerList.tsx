// The customer list for 100,000 rows: a fixed-height scroller renders only the rows in view
// (plus a few either side), fetching pages of PAGE rows from `load` as they come into view.
// Search (name, phone, pinyin initials), filters, sortable columns, row selection (click,
// shift-click ranges, all matching) and a batch bar (批量更新) that calls onBulkUpdate.
// Pure: rows come from `load`; the entrypoint wires it to the background.
import { formatPhoneForDisplay } from '../sidebar/phone-display';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import type { BulkPatch, CustomerRow, ListQuery, ListResult, SortKey } from '../../lib/customers/bulk';
import { useAction } from '../sidebar/async';
import { Name } from '../shared/Name';

export type ListFilter = Omit<ListQuery, 'offset' | 'limit'>;

export interface CustomerListProps {
  t: T;
  stages: readonly string[];
  sources: readonly string[];
  tags: readonly string[];
  now: number;
  load: (q: ListQuery) => Promise<ListResult>;
  selectAllMatching: (q: ListFilter) => Promise<string[]>;
  onBulkUpdate: (ids: string[], patch: BulkPatch) => Promise<unknown>;
  onOpen?: (customerId: string) => void;
  rowHeight?: number;
  height?: number;
}

export const PAGE = 100;
const OVERSCAN = 8;
const COLUMNS: { key: SortKey | null; label: 'field.code' | 'field.name' | 'field.phone' | 'field.stage' | 'field.tags' | 'field.nextFollowUp' | 'list.updated' }[] = [
  { key: 'code', label: 'field.code' },
  { key: 'name', label: 'field.name' },
  { key: null, label: 'field.phone' },
  { key: 'stage', label: 'field.stage' },
  { key: null, label: 'field.tags' },
  { key: 'nextFollowUpAt', label: 'field.nextFollowUp' },
  { key: 'updatedAt', label: 'list.updated' },
];

/** "2026-03-05T14:30" (a datetime-local input) → epoch ms in the page's zone. */
function fromLocalInput(v: string): number | undefined {
  if (!v) return undefined;
  const ms = new Date(v).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

export function CustomerList(props: CustomerListProps) {
  const { t, stages, sources, tags, now, load, rowHeight = 40, height = 520 } = props;
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [stage, setStage] = useState('');
  const [tag, setTag] = useState('');
  const [source, setSource] = useState('');
  const [dueOnly, setDueOnly] = useState(false);
  const [sort, setSort] = useState<SortKey>('updatedAt');
  const [dir, setDir] = useState<'asc' | 'desc'>('desc');
  const [total, setTotal] = useState<number | null>(null);
  const [rows, setRows] = useState<Map<number, CustomerRow>>(new Map());
  const [scrollTop, setScrollTop] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const anchor = useRef<number | null>(null);
  const pages = useRef<Set<number>>(new Set());
  const generation = useRef(0);
  const [reloadTick, setReloadTick] = useState(0);

  // Typing waits a moment before querying: 100k-row searches on every keystroke would queue up.
  useEffect(() => {
    const id = setTimeout(() => setQuery(search.trim()), 200);
    return () => clearTimeout(id);
  }, [search]);

  const filter: ListFilter = useMemo(
    () => ({
      ...(query ? { query } : {}),
      ...(stage ? { stage } : {}),
      ...(tag ? { tag } : {}),
      ...(source ? { source } : {}),
      ...(dueOnly ? { dueBefore: now } : {}),
      sort,
      dir,
    }),
    [query, stage, tag, source, dueOnly, now, sort, dir],
  );

  const fetchPage = async (page: number, gen: number) => {
    if (pages.current.has(page)) return;
    pages.current.add(page);
    try {
      const res = await load({ ...filter, offset: page * PAGE, limit: PAGE });
      if (gen !== generation.current) return; // a newer filter replaced this one
      setTotal(res.total);
      setRows((prev) => {
        const next = new Map(prev);
        res.rows.forEach((r, i) => next.set(page * PAGE + i, r));
        return next;
      });
    } catch (e) {
      pages.current.delete(page);
      if (gen === generation.current) setError(e instanceof Error ? e.message : '');
    }
  };

  // A new filter or sort: start over from the top.
  useEffect(() => {
    generation.current += 1;
    pages.current = new Set();
    setRows(new Map());
    setTotal(null);
    setError(null);
    anchor.current = null;
    void fetchPage(0, generation.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter, reloadTick]);

  const count = total ?? 0;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);

  useEffect(() => {
    if (total === null) return;
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last - 1) / PAGE); p++) void fetchPage(p, generation.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [first, last, total]);

  const toggleSort = (key: SortKey) => {
    if (key === sort) setDir(dir === 'asc' ? 'desc' : 'asc');
    else {
      setSort(key);
      setDir(key === 'name' || key === 'code' || key === 'stage' || key === 'nextFollowUpAt' ? 'asc' : 'desc');
    }
  };

  const onRowClick = (index: number, id: string, e: MouseEvent) => {
    const next = new Set(selected);
    if (e.shiftKey && anchor.current !== null) {
      // A range covers the rows loaded between the anchor and this one (what the user scrolled past).
      const [a, b] = anchor.current < index ? [anchor.current, index] : [index, anchor.current];
      for (let i = a; i <= b; i++) {
        const r = rows.get(i);
        if (r) next.add(r.id);
      }
    } else if (next.has(id)) next.delete(id);
    else next.add(id);
    anchor.current = index;
    setSelected(next);
  };

  const selectAll = useAction(async () => setSelected(new Set(await props.selectAllMatching(filter))));
  const bulk = useAction(async (patch: BulkPatch) => {
    await props.onBulkUpdate([...selected], patch);
    setReloadTick((n) => n + 1);
  });

  const visible: preact.JSX.Element[] = [];
  for (let i = first; i < last; i++) {
    const r = rows.get(i);
    const top = i * rowHeight;
    if (!r) {
      visible.push(<div key={`p${i}`} class="lzc-row lzc-placeholder" style={{ top: `${top}px`, height: `${rowHeight}px` }} />);
      continue;
    }
    const isSel = selected.has(r.id);
    visible.push(
      <div
        key={r.id}
        role="row"
        aria-selected={isSel}
        data-testid="customer-row"
        data-id={r.id}
        class={isSel ? 'lzc-row lzc-selected' : 'lzc-row'}
        style={{ top: `${top}px`, height: `${rowHeight}px` }}
        onClick={(e) => onRowClick(i, r.id, e as unknown as MouseEvent)}
        onDblClick={() => props.onOpen?.(r.id)}
      >
        <span role="gridcell" class="lzc-check">
          <input type="checkbox" checked={isSel} aria-label={r.name} tabIndex={-1} readOnly />
        </span>
        <span role="gridcell" class="lzc-code">{r.code}</span>
        <span role="gridcell" class="lzc-name">
          <Name value={r.name} />
        </span>
        <span role="gridcell">{r.phones[0] ? formatPhoneForDisplay(r.phones[0]) : ''}</span>
        <span role="gridcell">{t.term(r.stage)}</span>
        <span role="gridcell" class="lzc-tags">{r.tags.join('、')}</span>
        <span role="gridcell" class={r.nextFollowUpAt !== undefined && r.nextFollowUpAt < now ? 'lzc-overdue' : ''}>
          {r.nextFollowUpAt !== undefined ? t.formatDateTime(r.nextFollowUpAt) : ''}
        </span>
        <span role="gridcell">{t.formatDate(r.updatedAt)}</span>
      </div>,
    );
  }

  return (
    <div class="lzc" data-testid="customer-list">
      <div class="lzc-filters">
        <input
          type="search"
          class="lzc-search"
          placeholder={t('list.searchPlaceholder')}
          aria-label={t('list.search')}
          value={search}
          data-testid="list-search"
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
        <select aria-label={t('field.stage')} value={stage} data-testid="filter-stage" onChange={(e) => setStage(e.currentTarget.value)}>
          <option value="">{t('list.allStages')}</option>
          {stages.map((s) => (
            <option key={s} value={s}>{t.term(s)}</option>
          ))}
        </select>
        <select aria-label={t('field.tags')} value={tag} data-testid="filter-tag" onChange={(e) => setTag(e.currentTarget.value)}>
          <option value="">{t('list.allTags')}</option>
          {tags.map((s) => (
            <option key={s} value={s}>{s}</option>
          ))}
        </select>
        <select aria-label={t('field.source')} value={source} data-testid="filter-source" onChange={(e) => setSource(e.currentTarget.value)}>
          <option value="">{t('list.allSources')}</option>
          {sources.map((s) => (
            <option key={s} value={s}>{t.term(s)}</option>
          ))}
        </select>
        <label class="lzc-due">
          <input type="checkbox" checked={dueOnly} data-testid="filter-due" onChange={(e) => setDueOnly(e.currentTarget.checked)} />
          {t('list.dueOnly')}
        </label>
        <span class="lzc-total" data-testid="list-total">{total === null ? t('common.loading') : t('list.total', { n: count })}</span>
      </div>

      {selected.size > 0 && <BatchBar t={t} stages={stages} count={selected.size} busy={bulk.busy} error={bulk.error} onApply={(p) => void bulk.run(p)} onClear={() => setSelected(new Set())} />}
      {error !== null && <p class="lzc-error" role="alert">{error || t('error.generic')}</p>}

      <div class="lzc-head" role="row">
        <span class="lzc-check">
          <button type="button" class="lzc-link" data-testid="select-all" disabled={selectAll.busy || count === 0} onClick={() => void selectAll.run()}>
            {t('list.selectAll', { n: count })}
          </button>
        </span>
        {COLUMNS.map((c) =>
          c.key ? (
            <span key={c.label} role="columnheader" aria-sort={sort === c.key ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
              <button type="button" class="lzc-sort" data-testid={`sort-${c.key}`} onClick={() => toggleSort(c.key!)}>
                {t(c.label)}
                {sort === c.key ? (dir === 'asc' ? ' ↑' : ' ↓') : ''}
              </button>
            </span>
          ) : (
            <span key={c.label} role="columnheader">{t(c.label)}</span>
          ),
        )}
      </div>
      <div class="lzc-scroller" role="grid" aria-rowcount={count} style={{ height: `${height}px` }} data-testid="list-scroller" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div class="lzc-spacer" style={{ height: `${count * rowHeight}px` }}>{visible}</div>
        {total === 0 && <p class="lzc-empty">{t('list.empty')}</p>}
      </div>
    </div>
  );
}

function BatchBar(p: { t: T; stages: readonly string[]; count: number; busy: boolean; error: string | null; onApply: (patch: BulkPatch) => void; onClear: () => void }) {
  const { t } = p;
  const [stage, setStage] = useState('');
  const [tagText, setTagText] = useState('');
  const [owner, setOwner] = useState('');
  const [next, setNext] = useState('');
  const tagList = tagText.split(/[,，、\s]+/).map((s) => s.trim()).filter(Boolean);
  return (
    <div class="lzc-batch" data-testid="batch-bar" role="toolbar" aria-label={t('list.batch')}>
      <strong>{t('list.selected', { n: p.count })}</strong>
      <select aria-label={t('field.stage')} value={stage} data-testid="batch-stage" onChange={(e) => setStage(e.currentTarget.value)}>
        <option value="">{t('list.chooseStage')}</option>
        {p.stages.map((s) => (
          <option key={s} value={s}>{t.term(s)}</option>
        ))}
      </select>
      <button type="button" disabled={p.busy || !stage} data-testid="batch-apply-stage" onClick={() => p.onApply({ stage })}>
        {t('list.setStage')}
      </button>
      <input type="text" placeholder={t('field.tags')} aria-label={t('field.tags')} value={tagText} data-testid="batch-tags" onInput={(e) => setTagText(e.currentTarget.value)} />
      <button type="button" disabled={p.busy || tagList.length === 0} data-testid="batch-add-tags" onClick={() => p.onApply({ addTags: tagList })}>
        {t('list.addTags')}
      </button>
      <button type="button" disabled={p.busy || tagList.length === 0} data-testid="batch-remove-tags" onClick={() => p.onApply({ removeTags: tagList })}>
        {t('list.removeTags')}
      </button>
      <input type="text" placeholder={t('list.owner')} aria-label={t('list.owner')} value={owner} data-testid="batch-owner" onInput={(e) => setOwner(e.currentTarget.value)} />
      <button type="button" disabled={p.busy} data-testid="batch-apply-owner" onClick={() => p.onApply({ owner })}>
        {t('list.setOwner')}
      </button>
      <input type="datetime-local" aria-label={t('field.nextFollowUp')} value={next} data-testid="batch-next" onInput={(e) => setNext(e.currentTarget.value)} />
      <button type="button" disabled={p.busy || fromLocalInput(next) === undefined} data-testid="batch-apply-next" onClick={() => p.onApply({ nextFollowUpAt: fromLocalInput(next)! })}>
        {t('list.setNext')}
      </button>
      <button type="button" class="lzc-link" onClick={p.onClear}>
        {t('list.clearSelection')}
      </button>
      {p.busy && <span>{t('common.working')}</span>}
      {p.error !== null && <span class="lzc-error" role="alert">{p.error || t('error.generic')}</span>}
    </div>
  );
}
