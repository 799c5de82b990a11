// User-defined site messages, merged into lib/messaging/protocol.ts. Definitions are edited from
// the options page only; a content script may only ask for its own site's definition.
import { z } from 'zod';
import type { CustomSiteDef } from './definition';
import { PICK_FIELDS, type PickResult } from './picker';
import { customSiteSchema } from './schema';
import type { TestReadResult } from './test-read';
import { def } from '../messaging/define';
import { lazySchema } from '../model/lazy-schema';

export type { PickResult, TestReadResult };

const reply = <T>() => z.custom<T>(() => true);
const sites = lazySchema(() => z.object({ sites: reply<CustomSiteDef[]>() }));

export const customSiteMessages = {
  'customSite.list': def(['page'] as const, () => z.object({}), () => sites),
  /** Saves (adds or replaces by id) and re-registers the content scripts. */
  'customSite.save': def(['page'] as const, () => z.object({ site: customSiteSchema }), () => sites),
  'customSite.remove': def(['page'] as const, () => z.object({ id: z.string().min(1).max(30) }), () => sites),
  /** The custom content script asks which definition covers its page (the router found it by URL). */
  'customSite.forPage': def(['content'] as const, () => z.object({}), () => z.object({ site: reply<CustomSiteDef | null>() })),
  /**
   * 试读: the generic reader, with the definition as the form has it, once on the user's most
   * recent tab of the site (the options page asked for the host from the user's click first).
   */
  'customSite.testRead': def(['page'] as const, () => z.object({ site: customSiteSchema }), () => reply<TestReadResult>()),
  /**
   * 在页面上选取: the element picker on the user's most recent tab of a saved site (its host was
   * granted when it was saved). Answers when the user clicks an element or presses Esc.
   */
  'customSite.pick': def(
    ['page'] as const,
    () => z.object({ id: z.string().min(1).max(30), field: z.enum(PICK_FIELDS), rowCss: z.string().max(500).optional() }),
    () => reply<PickResult>(),
  ),
};
