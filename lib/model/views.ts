// What the background sends to the UIs. Components render these and nothing else.
import { z } from 'zod';
import { conflictSchema, customerSchema, dealSchema, followUpSchema, reminderSchema } from './records';
import { SYNC_STATES } from './enums';
import { suggestionsSchema } from '../suggest/schema';
import { lazySchema } from './lazy-schema';

export const customerSummarySchema = lazySchema(() => z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  company: z.string().optional(),
  phones: z.array(z.string()),
  stage: z.string(),
  /** Why this customer was offered as a candidate: 'phone' | 'email' | 'wechat' | 'name' | 'search' */
  matchedBy: z.array(z.string()).optional(),
}));
export type CustomerSummary = z.infer<typeof customerSummarySchema>;

/** A customer found live in a connected CRM for an unknown contact ("在 智邦ERP 中找到：KH2025001 张伟 · 重点客户"). */
export const remoteCandidateSchema = lazySchema(() => z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  kind: z.string(),
  remoteId: z.string(),
  remoteCode: z.string().optional(),
  name: z.string(),
  phones: z.array(z.string()),
  email: z.string().optional(),
  company: z.string().optional(),
  matchedBy: z.array(z.string()),
  /** What the CRM says of them, for the candidate line: stage, grade, owner (as the CRM spells them). */
  stage: z.string().optional(),
  grade: z.string().optional(),
  owner: z.string().optional(),
  /** Already linked to this local customer (then linking the chat to it is enough). */
  localCustomerId: z.string().optional(),
}));
export type RemoteCandidate = z.infer<typeof remoteCandidateSchema>;

/** Per connection searched: whether the search answered, and why not. */
export const candidateSearchSchema = lazySchema(() => z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  ok: z.boolean(),
  error: z.string().optional(),
}));

export const linkViewSchema = lazySchema(() => z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  kind: z.string(),
  remoteCode: z.string().optional(),
  /** The CRM's record id: shown when the CRM has no human-facing code (Salesforce, HubSpot without 客户编号). */
  remoteId: z.string().optional(),
  syncState: z.enum(SYNC_STATES),
  lastSyncedAt: z.number().optional(),
  lastError: z.string().optional(),
  /** When this CRM was last read for the customer (上次读取). */
  pulledAt: z.number().optional(),
  /** Whether this CRM can be read back at all (its adapter has a read side). */
  readable: z.boolean().optional(),
  /** Fields settled by the connection's rule (both sides changed), newest first; the sidebar offers to restore the other value. */
  conflicts: z.array(conflictSchema).optional(),
  /** The last write left these values out (e.g. an ERP enum that could not be resolved). */
  warnings: z.array(z.string()).optional(),
}));
export type LinkView = z.infer<typeof linkViewSchema>;

/** The identity read from the chat, normalized by the background. */
export const observedIdentitySchema = lazySchema(() => z.object({
  displayName: z.string(),
  /** E.164 numbers parsed from handles and messages. */
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  wechat: z.string().optional(),
  isGroup: z.boolean(),
  /**
   * The chat's key came from a weak source (its title): the contact is shown, but it is never
   * linked to a customer, automatically or by hand, until the site's own id is read.
   */
  weakKey: z.boolean().optional(),
}));
export type ObservedIdentity = z.infer<typeof observedIdentitySchema>;

export const customerViewSchema = lazySchema(() => z.object({
  site: z.string(),
  threadKey: z.string(),
  identity: observedIdentitySchema,
  /** 'unknown': no customer mapped to this conversation; 'known': customer is set. */
  status: z.enum(['unknown', 'known']),
  candidates: z.array(customerSummarySchema),
  customer: customerSchema.optional(),
  links: z.array(linkViewSchema),
  followUps: z.array(followUpSchema),
  deals: z.array(dealSchema),
  reminder: reminderSchema.optional(),
  options: z.object({
    stages: z.array(z.string()),
    sources: z.array(z.string()),
    products: z.array(z.string()),
    /** The user's language setting, so a chat page (which cannot read settings) speaks it. */
    language: z.enum(['auto', 'zh_CN', 'en']),
  }),
  /** What was understood from the conversation's recent messages (known customers only). */
  suggestions: suggestionsSchema.optional(),
}));
export type CustomerView = z.infer<typeof customerViewSchema>;

/** One line of the popup's due list. */
export const dueItemSchema = lazySchema(() => z.object({
  reminderId: z.string(),
  customerId: z.string(),
  code: z.string(),
  name: z.string(),
  stage: z.string(),
  dueAt: z.number(),
  overdue: z.boolean(),
  /** Where to open the chat, when Liaison has seen one for this customer. */
  chatUrl: z.string().optional(),
  lastFollowUp: z.string().optional(),
}));
export type DueItem = z.infer<typeof dueItemSchema>;

export const dashboardSchema = lazySchema(() => z.object({
  now: z.number(),
  dueToday: z.array(dueItemSchema),
  overdue: z.array(dueItemSchema),
  counts: z.object({ dueToday: z.number(), overdue: z.number(), customers: z.number() }),
  sync: z.array(
    z.object({
      connectionId: z.string(),
      connectionName: z.string(),
      kind: z.string(),
      pending: z.number(),
      failed: z.number(),
      synced: z.number(),
    }),
  ),
}));
export type Dashboard = z.infer<typeof dashboardSchema>;
