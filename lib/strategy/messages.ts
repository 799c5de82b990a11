// Strategy and mapping messages (options page only), merged into lib/messaging/protocol.ts.
import { z } from 'zod';
import type { Strategy } from './schema';
import type { MappingIssue, TemplateMapping } from '../mapping';
import type { CrmFieldList } from '../crm/port';
import { def } from '../messaging/define';
import { lazySchema } from '../model/lazy-schema';

/** Background-produced replies: typed, not re-validated on the way to the page. */
const reply = <T>() => z.custom<T>(() => true);
const page = ['page'] as const;
const id = lazySchema(() => z.string().min(1).max(100));

export interface MappingPreview {
  /** CRM field values per section, rendered on `subject`. */
  values: Partial<Record<'customer' | 'followUp' | 'deal', Record<string, string | number>>>;
  issues: MappingIssue[];
  /** The customer open beside the chat, or the built-in sample when no chat shows one. */
  subject: 'sample' | { customerId: string; name: string; code: string };
}

export interface MappingView {
  own: TemplateMapping;
  effective: TemplateMapping;
  /** What a template may name, with its label (客户名称…). */
  variables: { name: string; label: string }[];
  filters: string[];
  /** The CRM's own fields from its API (absent when it cannot list them). */
  fields?: CrmFieldList;
  /** Listing failed now (CRM down, credentials): the editor works without the field list. */
  fieldsError?: string;
}

export const strategyMessages = {
  /** The multi-CRM strategy (多 CRM 策略) and whether a primary-backup failover is active. */
  'strategy.get': def(page, () => z.object({}), () => reply<{ strategy: Strategy; failoverSince?: number }>()),
  /** Validated by lib/strategy's schema in the background (a bad one is refused with the reason). */
  'strategy.save': def(page, () => z.object({ strategy: z.unknown() }), () => reply<{ strategy: Strategy }>()),
  /** A connection's templates: its own, and the effective ones (spec defaults underneath). */
  'mapping.get': def(page, () => z.object({ connectionId: id }), () => reply<MappingView>()),
  /** Live preview of templates on the customer open beside the chat (else a sample), with every problem found. */
  'mapping.preview': def(page, () => z.object({ connectionId: id.optional(), templates: z.unknown() }), () => reply<MappingPreview>()),
  /** Store a connection's templates (settings.templates); refused while they have problems or name fields the CRM lacks. */
  'mapping.save': def(page, () => z.object({ connectionId: id, templates: z.unknown() }), () => reply<{ own: TemplateMapping; unchecked?: string }>()),
};
