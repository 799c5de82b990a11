// This browser's own tag for {device} in code formats: three characters from an alphabet
// without the worst look-alikes (no 0/O, 1/I), drawn once per profile and kept in the kv table, so the
// temporary codes two salespeople's browsers count on the same day differ (32,768 tags: a team
// of ten shares one with a chance of about 1 in 730; the real code from the CRM replaces both).
import type { LiaisonDb } from '../../db/db';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // 32
export const DEVICE_TAG_KEY = 'device.tag';
const VALID = /^[A-HJ-NP-Z2-9]{3}$/;

export function drawDeviceTag(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  return [...random(3)].map((b) => ALPHABET[b % 32]).join('');
}

/** The tag, drawn and stored on first use (inside the caller's transaction when it includes kv). */
export async function deviceTag(db: LiaisonDb): Promise<string> {
  return db.transaction('rw', db.kv, async () => {
    const v = (await db.kv.get(DEVICE_TAG_KEY))?.value;
    if (typeof v === 'string' && VALID.test(v)) return v;
    const tag = drawDeviceTag();
    await db.kv.put({ key: DEVICE_TAG_KEY, value: tag });
    return tag;
  });
}
