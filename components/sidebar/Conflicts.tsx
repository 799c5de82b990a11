// A field changed both here and in a CRM since the last sync: the connection's rule chose one
// value (the CRM's by default), and the user sees which one was replaced, with one click to put
// it back (issue 15: nobody's work is overwritten without them seeing it).
// 「智邦ERP 和本机同时修改了「客户阶段」：已采用 CRM 的「跟进中」，替换了本机的「谈判中」」
// Values come from a CRM: untrusted, shown as text.
import type { T, MessageKey } from '../../lib/i18n';
import type { BaseValue, Conflict, LinkView } from '../../lib/model';
import { useAction } from './async';
import { ErrorText } from './ErrorText';
import { formatPhoneForDisplay } from './phone-display';
import { rich } from './rich';
import { Name } from '../shared/Name';

/** Liaison field names (MAPPABLE_CUSTOMER_FIELDS) → the product's labels. */
const FIELD_LABELS: Record<string, MessageKey> = {
  code: 'field.code',
  name: 'field.name',
  company: 'field.company',
  phones: 'field.phones',
  wechatId: 'field.wechat',
  email: 'field.email',
  source: 'field.source',
  product: 'field.product',
  amount: 'field.amount',
  intentLevel: 'field.intentLevel',
  stage: 'field.stage',
  grade: 'field.grade',
  tags: 'field.tags',
  owner: 'field.owner',
  keyword: 'field.keyword',
  notes: 'field.notes',
  nextFollowUpAt: 'field.nextFollowUp',
};

export function fieldLabel(t: T, field: string): string {
  const key = FIELD_LABELS[field];
  return key ? t(key) : field;
}

/** Fields whose values are stored in Chinese and shown with their term label. */
const TERM_FIELDS = new Set(['stage', 'intentLevel', 'source', 'product', 'tags']);
const MAX_CHARS = 40;

/** A base value as the card would show it: 下次跟进 as a date and time, terms translated, long text cut. */
export function conflictValue(t: T, field: string, v: BaseValue): string {
  if (v === null || v === '' || (Array.isArray(v) && v.length === 0)) return t('conflict.empty');
  if (typeof v === 'number') {
    if (field === 'nextFollowUpAt') return t.formatDateTime(v);
    return v.toLocaleString(t.locale === 'zh_CN' ? 'zh-CN' : 'en');
  }
  const one = (s: string) => (field === 'phones' ? formatPhoneForDisplay(s) : TERM_FIELDS.has(field) ? t.term(s) : s);
  const text = Array.isArray(v) ? v.map(one).join(t.locale === 'zh_CN' ? '、' : ', ') : one(v);
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}

export interface ConflictActions {
  restore?(connectionId: string, field: string, at: number): Promise<void>;
  dismiss?(connectionId: string, field: string): Promise<void>;
}

/** Every link's conflicts, newest first. */
export function Conflicts({ t, links, actions }: { t: T; links: LinkView[]; actions: ConflictActions }) {
  const all = links.flatMap((l) => (l.conflicts ?? []).map((c) => ({ link: l, c })));
  if (all.length === 0) return null;
  all.sort((a, b) => b.c.at - a.c.at);
  return (
    <div class="lz-conflicts" role="region" aria-label={t('conflict.title')} data-testid="conflicts">
      {all.map(({ link, c }) => (
        <ConflictNotice key={`${link.connectionId} ${c.field} ${c.at}`} t={t} link={link} c={c} actions={actions} />
      ))}
    </div>
  );
}

function ConflictNotice({ t, link, c, actions }: { t: T; link: LinkView; c: Conflict; actions: ConflictActions }) {
  const restore = useAction(() => actions.restore!(link.connectionId, c.field, c.at));
  const dismiss = useAction(() => actions.dismiss!(link.connectionId, c.field));
  const replaced = conflictValue(t, c.field, c.replacedValue);
  // The CRM allocates 客户编号: there is nothing to put back (conflict.restore refuses it).
  const restorable = c.field !== 'code' && !!actions.restore;
  return (
    <div class="lz-conflict" data-testid="conflict" data-field={c.field} data-connection={link.connectionId} data-kept={c.kept} role="alert">
      <p class="lz-conflict-text" data-testid="conflict-text">
        {rich(t(c.kept === 'remote' ? 'conflict.remote' : 'conflict.local'), {
          crm: <Name value={link.connectionName} />,
          field: fieldLabel(t, c.field),
          kept: <Name value={conflictValue(t, c.field, c.keptValue)} />,
          replaced: <Name value={replaced} />,
        })}
      </p>
      <div class="lz-actions lz-actions-start">
        {restorable && (
          <button
            type="button"
            class="lz-btn lz-btn-sm lz-btn-primary"
            data-testid="conflict-restore"
            disabled={restore.busy || dismiss.busy}
            aria-busy={restore.busy}
            onClick={() => void restore.run()}
          >
            {/* One child: the button lays its children out as flex items, with gaps between them. */}
            <span>{restore.busy ? t('common.working') : rich(t('conflict.restore'), { value: <Name value={replaced} /> })}</span>
          </button>
        )}
        {actions.dismiss && (
          <button type="button" class="lz-btn lz-btn-sm lz-btn-ghost" data-testid="conflict-dismiss" disabled={restore.busy || dismiss.busy} aria-busy={dismiss.busy} onClick={() => void dismiss.run()}>
            {dismiss.busy ? t('common.working') : t('conflict.dismiss')}
          </button>
        )}
      </div>
      <ErrorText t={t} error={restore.error ?? dismiss.error} />
    </div>
  );
}
