// Bitable's client_token must be a uuidv4 (1254037 otherwise). The outbox's idempotency keys are
// arbitrary strings, so a key that is not already a uuidv4 is hashed into one deterministically:
// the same key always yields the same token, which is what makes a retried create a no-op.
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuidV4(s: string): boolean {
  return UUID_V4.test(s);
}

/** SHA-256 of the key with the version (4) and variant (10xx) bits set, formatted as a uuid. */
export async function toUuidV4(key: string): Promise<string> {
  if (isUuidV4(key)) return key.toLowerCase();
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(`liaison:${key}`)));
  const b = digest.slice(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
