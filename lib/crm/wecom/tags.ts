// Corp tags (企业客户标签): names → ids through POST externalcontact/get_corp_tag_list {} (every
// group and tag; GetExternalContactTag.yaml), kept five minutes per adapter instance. Tags are
// set with POST externalcontact/mark_tag {userid, external_userid, add_tag, remove_tag}
// (MarkExternalContactTag.yaml: add_tag and remove_tag not both empty). A Liaison tag with no corp
// tag of that name is NOT created (add_corp_tag is not in WeCom's YAML, and creating corp-wide
// tags is an admin's decision): it is named in the write's warnings.
import { z } from 'zod';
import { FIELD_LIST_TTL_MS } from '../ttl-memo';
import { call, forget, memo, type WecomContext } from './client';

const tagListReply = z.object({
  tag_group: z
    .array(
      z.object({
        group_id: z.string(),
        group_name: z.string(),
        deleted: z.boolean().optional(),
        tag: z.array(z.object({ id: z.string(), name: z.string(), deleted: z.boolean().optional() })).default([]),
      }),
    )
    .default([]),
});
export type CorpTagGroups = z.infer<typeof tagListReply>['tag_group'];

const TAG_KEY = 'corp-tags';

export function corpTags(ctx: WecomContext, signal?: AbortSignal): Promise<CorpTagGroups> {
  return memo(ctx, TAG_KEY, FIELD_LIST_TTL_MS, async () => (await call(ctx, 'post', 'cgi-bin/externalcontact/get_corp_tag_list', { json: {}, schema: tagListReply, signal })).tag_group);
}

/** Live tags by name (the first of a name across groups) and by id. */
export function tagIndex(groups: CorpTagGroups): { byName: Map<string, string>; byId: Map<string, string> } {
  const byName = new Map<string, string>();
  const byId = new Map<string, string>();
  for (const g of groups) {
    if (g.deleted) continue;
    for (const t of g.tag) {
      if (t.deleted) continue;
      byId.set(t.id, t.name);
      if (!byName.has(t.name)) byName.set(t.name, t.id);
    }
  }
  return { byName, byId };
}

const ok = z.object({ errcode: z.literal(0) }).passthrough();

/**
 * Makes the follow user's corp tags on the contact exactly `wanted` (by name): adds the missing,
 * removes corp tags the contact has that are not wanted. Returns the names WeCom has no corp tag for.
 */
export async function syncTags(ctx: WecomContext, externalUserid: string, wanted: string[], current: string[], signal?: AbortSignal): Promise<string[]> {
  let index = tagIndex(await corpTags(ctx, signal));
  if (wanted.some((n) => !index.byName.has(n))) {
    // An admin may have just created it: look once more before reporting it missing.
    forget(ctx, TAG_KEY);
    index = tagIndex(await corpTags(ctx, signal));
  }
  const missing = wanted.filter((n) => !index.byName.has(n));
  const wantIds = new Set(wanted.flatMap((n) => (index.byName.has(n) ? [index.byName.get(n)!] : [])));
  const have = new Set(current);
  const add = [...wantIds].filter((id) => !have.has(id));
  const remove = current.filter((id) => index.byId.has(id) && !wantIds.has(id));
  if (add.length || remove.length) {
    await call(ctx, 'post', 'cgi-bin/externalcontact/mark_tag', {
      json: { userid: ctx.config.followUserId, external_userid: externalUserid, ...(add.length ? { add_tag: add } : {}), ...(remove.length ? { remove_tag: remove } : {}) },
      write: true,
      schema: ok,
      signal,
    });
  }
  return missing;
}
