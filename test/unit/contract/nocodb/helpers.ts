import { createNocodbAdapter, type NocodbAdapter } from '../../../../lib/crm/nocodb/adapter';
import { resetLimiters } from '../../../../lib/crm/rate-limiter';
import { resetConnectionStateMemory } from '../../../../lib/crm/connection-state';
import type { Customer } from '../../../../lib/model';
import { startNocodbEmulator, type NocodbEmulator } from '../../../emulators/nocodb/index';

export const HOST = 'http://nocodb.emulator:8080';

export function rig(settings: Record<string, unknown> = {}, token?: string): { em: NocodbEmulator; adapter: NocodbAdapter; make(s?: Record<string, unknown>, t?: string): NocodbAdapter } {
  resetLimiters();
  resetConnectionStateMemory(); // the adapters' kept state (read plan) is per test, like a fresh profile
  const em = startNocodbEmulator();
  const make = (s: Record<string, unknown> = settings, t = token ?? em.token) =>
    createNocodbAdapter({
      db: undefined,
      connection: { id: 'noco', kind: 'nocodb', name: 'NocoDB', enabled: true, settings: { host: HOST, base_id: em.baseId, ...s }, createdAt: 0 },
      secrets: { api_token: t },
      now: Date.now,
      fetch: em.fetch,
    });
  return { em, adapter: make(), make };
}

let n = 0;
export function customer(over: Partial<Customer> = {}): Customer {
  n++;
  return { id: `c${n}`, code: `L-${n}`, name: `客户${n}`, phones: [], tags: [], stage: '新客户', createdAt: 0, updatedAt: 0, searchKeys: [], ...over };
}
export const key = () => crypto.randomUUID();
