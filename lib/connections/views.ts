// What extension pages see of a connection: settings, and which secrets are stored, never their values.
import { z } from 'zod';
import { lazySchema } from '../model/lazy-schema';

export const connectionViewSchema = lazySchema(() => z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  /** Keys of stored secrets ("password", "app_secret"), so the form can say "saved; leave blank to keep". */
  storedSecrets: z.array(z.string()),
  createdAt: z.number(),
}));
export type ConnectionView = z.infer<typeof connectionViewSchema>;

/** A connection as the options form submits it. Blank secrets keep the stored value. */
export const connectionDraftSchema = lazySchema(() => z.object({
  id: z.string().min(1).max(100).optional(),
  kind: z.string().min(1).max(50),
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean(),
  settings: z.record(z.string().max(100), z.unknown()),
  secrets: z.record(z.string().max(100), z.string().max(4000)),
}));
export type ConnectionDraft = z.infer<typeof connectionDraftSchema>;
