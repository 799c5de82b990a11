// Team and assignment messages (options → 团队与分配; the sidebar's 负责人), merged into
// lib/messaging/protocol.ts (`...assignMessages`) in the shape of lib/notify/messages.ts.
import { z } from 'zod';
import type { Localized } from '../crm/spec';
import type { Assignment } from './store';
import type { TeamSettings } from './team';
import { def } from '../messaging/define';
import { lazySchema } from '../model/lazy-schema';

const reply = <T>() => z.custom<T>(() => true);
const page = ['page'] as const;
const id = lazySchema(() => z.string().min(1).max(100));
const convRef = lazySchema(() => z.object({ site: z.string().min(1).max(50), threadKey: z.string().min(1).max(300) }));

/** A connection that can assign customers or message colleagues, and what an id there looks like. */
export interface PeopleConnection {
  connectionId: string;
  connectionName: string;
  kind: string;
  idLabel: Localized;
  idHelp: Localized;
  idPattern: string;
  assign: boolean;
  notify: boolean;
}

/** One outbox row an assignment queued, as the sidebar shows it. */
export interface AssignmentNotice {
  connectionName: string;
  op: 'customer.assign' | 'person.notify';
  state: 'pending' | 'inflight' | 'done' | 'failed';
  lastError?: string;
}

export interface AssignmentView {
  mode: TeamSettings['mode'];
  /** Active members, in roster order. */
  members: { id: string; name: string }[];
  last?: Assignment;
  /** The rows the latest assignment queued (客户指派, 通知), with their state. */
  notices: AssignmentNotice[];
  /** Connections that could assign or notify but have no id for the assignee. */
  missingIds: string[];
}

export const assignMessages = {
  'team.get': def(
    page,
    () => z.object({}),
    () => reply<{ team: TeamSettings; problem?: string; people: PeopleConnection[]; load: Record<string, number> }>(),
  ),
  /** Validated by lib/assign/team.ts in the background: the reply names every field it refuses. */
  'team.save': def(page, () => z.object({ team: z.unknown() }), () => reply<{ team: TeamSettings }>()),
  /** 分配: to a member, or 'auto' (the rules); 客户指派 and 通知 go through the outbox. */
  'customer.assign': def(page, () => z.object({ conv: convRef.optional(), customerId: id, memberId: z.union([z.literal('auto'), z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)]) }), () => reply<AssignmentView>()),
  'customer.assignment': def(page, () => z.object({ conv: convRef.optional(), customerId: id }), () => reply<AssignmentView>()),
} as const;
