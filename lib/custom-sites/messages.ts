// User-defined site messages, merged into lib/messaging/protocol.ts. Definitions are edited from
// the options page only; a content script may only ask for its own site's definition.
import { z } from 'zod';
import type { CustomSiteDef } from './definition';
import { PICK_FIELDS, type PickResult } from './picker';
import { customSiteSchema } from './schema';
import type { TestReadResult } from './test-read';

export type { PickResult, TestReadResult };

const reply = <T>() => z.custom<T>(() => true);
const sites = z.object({ sites: reply<CustomSiteDef[]>() });

export const customSiteMessages = {
  'customSite.list': { from: ['page'] as const, request: z.object({}), response: sites },
  /** Saves (adds or replaces by id) and re-registers the content scripts. */
  'customSite.save': { from: ['page'] as const, request: z.object({ site: customSiteSchema }), response: sites },
  'customSite.remove': { from: ['page'] as const, request: z.object({ id: z.string().min(1).max(30) }), response: sites },
  /** The custom content script asks which definition covers its page (the router found it by URL). */
  'customSite.forPage': { from: ['content'] as const, request: z.object({}), response: z.object({ site: reply<CustomSiteDef | null>() }) },
  /**
   * 试读: the generic reader, with the definition as the form has it, once on the user's most
   * recent tab of the site (the options page asked for the host from the user's click first).
   */
  'customSite.testRead': { from: ['page'] as const, request: z.object({ site: customSiteSchema }), response: reply<TestReadResult>() },
  /**
   * 在页面上选取: the element picker on the user's most recent tab of a saved site (its host was
   * granted when it was saved). Answers when the user clicks an element or presses Esc.
   */
  'customSite.pick': {
    from: ['page'] as const,
    request: z.object({ id: z.string().min(1).max(30), field: z.enum(PICK_FIELDS), rowCss: z.string().max(500).optional() }),
    response: reply<PickResult>(),
  },
};
