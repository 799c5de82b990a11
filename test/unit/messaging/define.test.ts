// A message's schemas are built on first use, once (lib/messaging/define.ts).
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { def } from '../../../lib/messaging/define';
import { protocol } from '../../../lib/messaging/protocol';

describe('def', () => {
  it('builds neither schema when defined, each on first read, and once', () => {
    const request = vi.fn(() => z.object({ id: z.string() }));
    const response = vi.fn(() => z.object({ ok: z.literal(true) }));
    const d = def(['page'], request, response);
    expect(d.from).toEqual(['page']);
    expect(request).not.toHaveBeenCalled();
    expect(response).not.toHaveBeenCalled();
    expect(d.request.safeParse({ id: 'a' }).success).toBe(true);
    expect(d.request).toBe(d.request);
    expect(request).toHaveBeenCalledTimes(1);
    expect(response).not.toHaveBeenCalled();
  });

  it('keeps every protocol entry a definition whose schemas parse', () => {
    for (const [type, d] of Object.entries(protocol)) {
      expect(Array.isArray(d.from), type).toBe(true);
      expect(typeof d.request.safeParse, type).toBe('function');
      expect(typeof d.response.safeParse, type).toBe('function');
    }
  });
});
