// 阶段与选项: the stages, sources (来源渠道) and products (意向产品) offered in forms.
import type { T } from '../../lib/i18n';
import type { Settings } from '../../lib/model';
import { ListEditor } from './ListEditor';
import type { ListKey, SettingsErrors } from './validate';

export function ListsSection({ t, settings, errors, onChange }: { t: T; settings: Settings; errors: SettingsErrors; onChange(k: ListKey, items: string[]): void }) {
  return (
    <section class="lzo-section" id="lzo-lists" aria-labelledby="lzo-lists-h">
      <header class="lzo-section-head">
        <h2 id="lzo-lists-h">{t('options.nav.lists')}</h2>
        <p class="lzo-desc">{t('options.lists.desc')}</p>
      </header>
      <div class="lzo-section-body lzo-lists-grid">
        <ListEditor t={t} id="stages" label={t('field.stage')} items={settings.stages} error={errors.stages} onChange={(v) => onChange('stages', v)} />
        <ListEditor t={t} id="sources" label={t('field.source')} items={settings.sources} error={errors.sources} onChange={(v) => onChange('sources', v)} />
        <ListEditor t={t} id="products" label={t('field.product')} items={settings.products} error={errors.products} onChange={(v) => onChange('products', v)} />
      </div>
    </section>
  );
}
