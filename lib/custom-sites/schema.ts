// Validation of user-defined sites (options page and background; never the content script).
import { z } from 'zod';
import { originOf, type CustomSiteDef } from './definition';

const css = z.string().trim().max(500);

export const customSiteSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,30}$/),
  name: z.string().trim().min(1).max(100),
  // One host, scheme http(s) or *: never <all_urls> or every host, so the permission asked is one site's.
  pattern: z
    .string()
    .trim()
    .max(500)
    .refine((p) => /^(\*|https?):\/\/(\*\.[^/*]+|[^/*]+)\/.*$/.test(p) && originOf(p) !== null, 'a match pattern for one site, like https://chat.example.com/*'),
  selectors: z.object({
    title: css.min(1),
    messageList: css.optional(),
    messageRow: css.min(1),
    outgoing: css.optional(),
    text: css.optional(),
    time: css.optional(),
    contact: css.optional(),
  }),
}) satisfies z.ZodType<CustomSiteDef>;

export const customSitesSchema = z.array(customSiteSchema).max(50);
