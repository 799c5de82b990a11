// Signing vectors: lib/notify/sign.ts (Web Crypto) against fixed values computed once with the
// openssl CLI (`openssl dgst -sha256 -hmac KEY -binary | base64`) and against node:crypto.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dingtalkSign, feishuSign } from '../../../lib/notify/sign';

const FEISHU_SECRET = 'feishu-secret-示例';
const DING_SECRET = 'SEC0123456789abcdef0123456789abcdef';

describe('Feishu signature: base64(HMAC-SHA256(key = timestamp\\nsecret, message = ""))', () => {
  it('matches the openssl vector (timestamp in seconds)', async () => {
    const s = await feishuSign(FEISHU_SECRET, 1_765_000_000_123);
    expect(s.timestamp).toBe('1765000000');
    expect(s.sign).toBe('Pxfod6j9p+eHN9nsjq6Uq1A39n4NevDnlGItowflqJM=');
  });

  it('matches node:crypto over many timestamps and secrets', async () => {
    for (let i = 0; i < 20; i++) {
      const secret = `s${i}-${'密'.repeat(i)}`;
      const now = 1_700_000_000_000 + i * 7_919_000;
      const s = await feishuSign(secret, now);
      const ts = String(Math.floor(now / 1000));
      expect(s.sign).toBe(createHmac('sha256', `${ts}\n${secret}`).update('').digest('base64'));
    }
  });

  it('is not the DingTalk construction (key and message swapped)', async () => {
    const s = await feishuSign(FEISHU_SECRET, 1_765_000_000_000);
    expect(s.sign).not.toBe(createHmac('sha256', FEISHU_SECRET).update(`1765000000\n${FEISHU_SECRET}`).digest('base64'));
  });
});

describe('DingTalk signature: urlencode(base64(HMAC-SHA256(key = secret, message = timestamp\\nsecret)))', () => {
  it('matches the openssl vector (timestamp in milliseconds), URL-encoded', async () => {
    const s = await dingtalkSign(DING_SECRET, 1_765_000_000_000);
    expect(s.timestamp).toBe('1765000000000');
    expect(s.sign).toBe('c44wwlWFYowSgtS3UplNiLRBeYUcQiWG/plVC6yNEhk=');
    expect(s.signEncoded).toBe('c44wwlWFYowSgtS3UplNiLRBeYUcQiWG%2FplVC6yNEhk%3D');
  });

  it('matches node:crypto, and URLSearchParams encodes it the same way as encodeURIComponent', async () => {
    for (let i = 0; i < 20; i++) {
      const secret = `SEC${'ab'.repeat(10 + i)}`;
      const now = 1_700_000_000_000 + i * 104_729;
      const s = await dingtalkSign(secret, now);
      const expected = createHmac('sha256', secret).update(`${now}\n${secret}`).digest('base64');
      expect(s.sign).toBe(expected);
      const q = new URLSearchParams({ sign: s.sign }).toString().slice('sign='.length);
      expect(q).toBe(encodeURIComponent(expected));
      expect(decodeURIComponent(s.signEncoded)).toBe(expected);
    }
  });
});
