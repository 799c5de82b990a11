// Edit an ordered list of labels (stages, sources, products): rename in place, reorder,
// remove (never the last one), add. Values are stored as typed; the English label of a
// default Chinese value is shown beside it so English users know what it means.
import { useState } from 'preact/hooks';
import type { T } from '../../lib/i18n';
import { FieldError } from './Section';

export function ListEditor(props: { t: T; id: string; label: string; items: string[]; error?: string; onChange(items: string[]): void }) {
  const { t, id, items, onChange } = props;
  const [adding, setAdding] = useState('');
  const move = (i: number, d: -1 | 1) => {
    const j = i + d;
    if (j < 0 || j >= items.length) return;
    const next = [...items];
    [next[i], next[j]] = [next[j]!, next[i]!];
    onChange(next);
  };
  const add = () => {
    const v = adding.trim();
    if (!v) return;
    onChange([...items, v]);
    setAdding('');
  };
  return (
    <div class={`lzo-list-editor${props.error ? ' lzo-invalid' : ''}`} data-testid={`list-${id}`}>
      <h3 class="lzo-subhead">{props.label}</h3>
      <ol class="lzo-list">
        {items.map((item, i) => (
          <li key={i} class="lzo-list-row">
            <span class="lzo-list-n">{i + 1}</span>
            <input
              class="lzo-input"
              value={item}
              aria-label={`${props.label} ${i + 1}`}
              onInput={(e) => onChange(items.map((x, j) => (j === i ? (e.currentTarget as HTMLInputElement).value : x)))}
            />
            {t.term(item.trim()) !== item.trim() && <span class="lzo-hint lzo-term">{t.term(item.trim())}</span>}
            <div class="lzo-row-btns">
              <button type="button" class="lzo-icon" aria-label={t('options.lists.up')} title={t('options.lists.up')} disabled={i === 0} onClick={() => move(i, -1)}>
                ↑
              </button>
              <button
                type="button"
                class="lzo-icon"
                aria-label={t('options.lists.down')}
                title={t('options.lists.down')}
                disabled={i === items.length - 1}
                onClick={() => move(i, 1)}
              >
                ↓
              </button>
              <button
                type="button"
                class="lzo-icon lzo-icon-danger"
                aria-label={t('options.lists.remove')}
                title={t('options.lists.remove')}
                disabled={items.length <= 1}
                onClick={() => onChange(items.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </div>
          </li>
        ))}
      </ol>
      <div class="lzo-add">
        <input
          class="lzo-input"
          value={adding}
          placeholder={t('options.lists.addPlaceholder')}
          aria-label={`${t('options.lists.add')} · ${props.label}`}
          onInput={(e) => setAdding((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => {
            // Enter adds the item instead of submitting the whole settings form.
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" class="lzo-btn" onClick={add} disabled={!adding.trim()}>
          {t('options.lists.add')}
        </button>
      </div>
      <FieldError error={props.error} />
    </div>
  );
}
