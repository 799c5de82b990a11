// User-defined site messages, merged into lib/messaging/protocol.ts. Definitions are edited from
// the options page only; a content script may only ask for its own site's definition.
import { z } from 'zod';
import type { CustomSiteDef } from './definition';
import { customSiteSchema } from './schema';

const reply = <T>() => z.custom<T>(() => true);
const sites = z.object({ sites: reply<CustomSiteDef[]>() });

/** What the selectors matched on a tab ("check against the open tab"). */
export interface CustomSiteCheck {
  url: string;
  counts: Record<string, number>;
  title?: string;
  contact?: string;
  rows: { text: string; outgoing: boolean }[];
  errors: string[];
}

export const customSiteMessages = {
  'customSite.list': { from: ['page'] as const, request: z.object({}), response: sites },
  /** Saves (adds or replaces by id) and re-registers the content scripts. */
  'customSite.save': { from: ['page'] as const, request: z.object({ site: customSiteSchema }), response: sites },
  'customSite.remove': { from: ['page'] as const, request: z.object({ id: z.string().min(1).max(30) }), response: sites },
  /** The custom content script asks which definition covers its page (the router found it by URL). */
  'customSite.forPage': { from: ['content'] as const, request: z.object({}), response: z.object({ site: reply<CustomSiteDef | null>() }) },
  'customSite.check': {
    from: ['page'] as const,
    request: z.object({ tabId: z.number().int().nonnegative(), selectors: customSiteSchema.shape.selectors }),
    response: reply<CustomSiteCheck>(),
  },
};
