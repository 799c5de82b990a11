// The mapping editor's view of a WeCom contact: the five member-level fields Liaison writes, the
// corp tags as the options of `tags` (tags.ts, so a mapping is checked against real names).
import type { CrmFieldList } from '../port';
import type { WecomContext } from './client';
import { corpTags, tagIndex } from './tags';

export async function listFields(ctx: WecomContext, signal?: AbortSignal): Promise<CrmFieldList> {
  const { byName } = tagIndex(await corpTags(ctx, signal));
  return {
    customer: [
      { name: 'remark', label: '备注（≤20字）', type: 'text' },
      { name: 'description', label: '描述（≤150字）', type: 'text' },
      { name: 'remark_company', label: '备注企业（≤20字）', type: 'text' },
      { name: 'remark_mobiles', label: '备注手机号', type: 'phones' },
      { name: 'tags', label: '企业标签', type: 'tags', options: [...byName.keys()] },
    ],
  };
}
