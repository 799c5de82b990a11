// 售后单号 of the embedded local CRM: SH20261206-001, counted per day like the customer code
// (code-format.ts tokens; the counter row is keyed "ticket:" + the rendered prefix, so it never
// shares a sequence with customer codes). Read-increment-write in one rw transaction, which
// nests into the caller's when it includes counters and tickets.
import type { LiaisonDb } from '../../db/db';
import { codePrefix, formatCustomerCode } from './code-format';

export const DEFAULT_TICKET_NUMBER_FORMAT = 'SH{YYYY}{MM}{DD}-{seq:3}';
const COUNTER_PREFIX = 'ticket:';

export async function allocateTicketNumber(db: LiaisonDb, now: number, format = DEFAULT_TICKET_NUMBER_FORMAT): Promise<string> {
  const at = new Date(now);
  return db.transaction('rw', [db.counters, db.tickets], async () => {
    const key = COUNTER_PREFIX + codePrefix(format, at);
    let seq = (await db.counters.get(key))?.value ?? 0;
    let code: string;
    const taken = async (c: string) => (await db.tickets.where('remoteRefs').equals(`local ${c}`).count()) > 0;
    do {
      seq += 1;
      code = formatCustomerCode(format, at, seq);
    } while (await taken(code));
    await db.counters.put({ key, value: seq });
    return code;
  });
}
