// Builders for the views the components render. Every field is explicit so a test reads
// as "this customer, with this reminder", not as a wall of boilerplate.
import type { Customer, CustomerView, Dashboard, DueItem, FollowUp, Reminder, Settings } from '../../../lib/model';
import { DEFAULT_SETTINGS } from '../../../lib/model';

/** 2026-11-21 10:00 local time. */
export const NOW = new Date(2026, 10, 21, 10, 0).getTime();
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const HOSTILE = '<img src=x onerror=alert(1)>';

export function customer(over: Partial<Customer> = {}): Customer {
  return {
    id: 'c1',
    code: 'KH2026-0007',
    name: '王小明',
    company: '明远贸易',
    phones: ['+8613800138000'],
    stage: '跟进中',
    intentLevel: '高',
    tags: ['老客户'],
    lastContactAt: NOW - 2 * DAY,
    nextFollowUpAt: NOW + 2 * HOUR,
    createdAt: NOW - 30 * DAY,
    updatedAt: NOW - DAY,
    searchKeys: [],
    ...over,
  };
}

export function followUp(over: Partial<FollowUp> = {}): FollowUp {
  return {
    id: 'f1',
    customerId: 'c1',
    method: '电话',
    content: '客户想了解利率',
    at: NOW - DAY,
    origin: 'manual',
    messageIds: [],
    ...over,
  };
}

export function reminder(over: Partial<Reminder> = {}): Reminder {
  return { id: 'r1', customerId: 'c1', dueAt: NOW + 2 * HOUR, fireAt: NOW + 2 * HOUR, state: 'due', ...over };
}

const OPTIONS = {
  stages: [...DEFAULT_SETTINGS.stages],
  sources: [...DEFAULT_SETTINGS.sources],
  products: [...DEFAULT_SETTINGS.products],
  language: 'auto' as const,
};

export function unknownView(over: Partial<CustomerView> = {}): CustomerView {
  return {
    site: 'demo',
    threadKey: 't1',
    identity: { displayName: '李雷', phones: ['+8613911112222'], emails: [], isGroup: false },
    status: 'unknown',
    candidates: [],
    links: [],
    followUps: [],
    deals: [],
    options: OPTIONS,
    ...over,
  };
}

export function knownView(over: Partial<CustomerView> = {}): CustomerView {
  return unknownView({
    status: 'known',
    customer: customer(),
    links: [{ connectionId: 'local', connectionName: '本地', kind: 'local', remoteCode: 'KH2026-0007', syncState: 'synced', lastSyncedAt: NOW - HOUR }],
    followUps: [followUp()],
    reminder: reminder(),
    ...over,
  });
}

export function dueItem(over: Partial<DueItem> = {}): DueItem {
  return {
    reminderId: 'r1',
    customerId: 'c1',
    code: 'KH2026-0001',
    name: '王小明',
    stage: '跟进中',
    dueAt: NOW + HOUR,
    overdue: false,
    lastFollowUp: '电话沟通了利率',
    ...over,
  };
}

export function dashboard(over: Partial<Dashboard> = {}): Dashboard {
  const overdue = [dueItem({ reminderId: 'r2', customerId: 'c2', code: 'KH2026-0002', name: '张三', dueAt: NOW - 3 * DAY, overdue: true })];
  const dueToday = [dueItem()];
  return {
    now: NOW,
    overdue,
    dueToday,
    counts: { dueToday: dueToday.length, overdue: overdue.length, customers: 10 },
    sync: [{ connectionId: 'local', connectionName: '本地', kind: 'local', pending: 2, failed: 1, synced: 7 }],
    ...over,
  };
}

export function settings(over: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, stages: [...DEFAULT_SETTINGS.stages], sources: [...DEFAULT_SETTINGS.sources], products: [...DEFAULT_SETTINGS.products], ...over };
}

/** A promise the test settles by hand, to observe the busy state. */
export function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
