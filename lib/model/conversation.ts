// What a site reader produces from the page. Raw strings only: the content script does
// no normalization (phone metadata and matching live in the background).
import { z } from 'zod';
import { lazySchema } from './lazy-schema';

export const chatMessageSchema = lazySchema(() => z.object({
  /** threadKey + the site's own message id, else a hash of direction|sender|time|text. */
  id: z.string().min(1).max(400),
  direction: z.enum(['in', 'out']),
  sender: z.string().max(200).optional(),
  /** epoch ms when the page tells it */
  at: z.number().int().nonnegative().optional(),
  text: z.string().max(20_000),
}));
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const contactHandlesSchema = lazySchema(() => z.object({
  /** Phone-like strings as seen (handle, header subtitle, message text). */
  phones: z.array(z.string().max(64)).max(50),
  emails: z.array(z.string().max(320)).max(20),
  wechat: z.string().max(100).optional(),
  username: z.string().max(100).optional(),
  /** The site's own stable id of the contact (WhatsApp address, Telegram peer id…). */
  siteId: z.string().max(300).optional(),
}));
export type ContactHandles = z.infer<typeof contactHandlesSchema>;

export const conversationSchema = lazySchema(() => z.object({
  site: z.string().min(1).max(50),
  /** Stable thread key from the site's own ids, never the display name (unless `weakKey`). */
  threadKey: z.string().min(1).max(300),
  /**
   * The key came from a weak source (a title): shown beside the chat, never auto-linked to a
   * customer and never logged from; replaced when the strong key appears.
   */
  weakKey: z.boolean().optional(),
  /** Other keys the same chat is or was known by on this site (WhatsApp @lid / @c.us). */
  keyAliases: z.array(z.string().min(1).max(300)).max(5).optional(),
  url: z.string().max(2000).optional(),
  isGroup: z.boolean(),
  contact: z.object({
    displayName: z.string().max(200),
    handles: contactHandlesSchema,
  }),
  /** The most recent messages (the reader caps how many it sends). */
  messages: z.array(chatMessageSchema).max(500),
}));
export type Conversation = z.infer<typeof conversationSchema>;

/** Why a read cannot be trusted: see lib/readers/types.ts HEALTH_CAUSES. */
export const healthIssueSchema = lazySchema(() => z.object({
  cause: z.enum(['fields', 'noRows', 'emptyText', 'idFormat', 'weakKey', 'decoy']),
  /** a short shape or field name, never page text */
  detail: z.string().max(100).optional(),
}));
export type HealthIssue = z.infer<typeof healthIssueSchema>;

/** What the reader runtime says about how well it can read the page. */
export const readerHealthSchema = lazySchema(() => z.object({
  site: z.string().max(60),
  ok: z.boolean(),
  /** field → the selector variant that matched, or null when nothing matched */
  fields: z.record(z.string().max(40), z.string().max(60).nullable()).refine((f) => Object.keys(f).length <= 40, 'too many fields'),
  missing: z.array(z.string().max(40)).max(40),
  /** each reason the read cannot be trusted; empty when ok */
  issues: z.array(healthIssueSchema).max(10).default([]),
}));
export type ReaderHealth = z.infer<typeof readerHealthSchema>;
