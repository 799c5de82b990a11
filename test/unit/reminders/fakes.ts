// Test doubles for the reminder ports: a settable clock and recorders for alarms and
// notifications that keep both the live state (what the browser would show) and a call log.
import { LiaisonDb } from '../../../lib/db/db';
import { DEFAULT_SETTINGS, type Customer, type Settings } from '../../../lib/model';
import type { AlarmsPort, ChatOpener, Clock, NotificationOptions, NotificationsPort } from '../../../lib/reminders/ports';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Epoch ms of a wall time in Asia/Shanghai (UTC+8, no DST): sh('2026-11-21T09:00'). */
export function sh(wall: string): number {
  return Date.parse(`${wall}:00+08:00`);
}

export function openTestDb(): LiaisonDb {
  return new LiaisonDb('test-' + crypto.randomUUID());
}

export function customer(id: string, overrides: Partial<Customer> = {}): Customer {
  return {
    id,
    code: `KH2026-${id.padStart(4, '0')}`,
    name: `客户${id}`,
    phones: [],
    stage: '跟进中',
    tags: [],
    createdAt: 0,
    updatedAt: 0,
    searchKeys: [],
    ...overrides,
  };
}

export class FakeClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export class FakeAlarms implements AlarmsPort {
  readonly live = new Map<string, number>();
  readonly calls: Array<{ op: 'create'; name: string; when: number } | { op: 'clear'; name: string }> = [];
  async create(name: string, whenMs: number): Promise<void> {
    this.calls.push({ op: 'create', name, when: whenMs });
    this.live.set(name, whenMs);
  }
  async clear(name: string): Promise<void> {
    this.calls.push({ op: 'clear', name });
    this.live.delete(name);
  }
}

export class FakeNotifications implements NotificationsPort {
  readonly live = new Map<string, NotificationOptions>();
  readonly created: Array<{ id: string; options: NotificationOptions }> = [];
  readonly cleared: string[] = [];
  async create(id: string, options: NotificationOptions): Promise<void> {
    this.created.push({ id, options });
    this.live.set(id, options);
  }
  async clear(id: string): Promise<void> {
    this.cleared.push(id);
    this.live.delete(id);
  }
  /** Ids created so far, in order (a re-created id appears again). */
  ids(): string[] {
    return this.created.map((c) => c.id);
  }
}

export class FakeChat implements ChatOpener {
  readonly opened: string[] = [];
  constructor(private readonly known = true) {}
  async open(customerId: string): Promise<boolean> {
    this.opened.push(customerId);
    return this.known;
  }
}

export function settings(overrides: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}
