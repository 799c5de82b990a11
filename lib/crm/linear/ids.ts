// The id Liaison gives what it creates in Linear. issueCreate and commentCreate take an `id`
// "in UUID v4 format" (linear.graphql, IssueCreateInput.id / CommentCreateInput.id): the id is
// derived from the outbox's idempotency key (SHA-256 of a namespaced key, shaped as a version-4
// UUID), so every retry of one entry names the same issue or comment, and Linear cannot hold two.
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

export async function linearIdFor(kind: 'issue' | 'comment', idempotencyKey: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`liaison/linear/${kind}/${idempotencyKey}`)));
  const b = digest.slice(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
