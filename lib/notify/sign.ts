// Signatures of the two group robots that sign (Feishu/Lark and DingTalk), with Web Crypto so
// the same code runs in the service worker and in Node (globalThis.crypto.subtle, Node ≥ 19).
//
// Feishu/Lark 自定义机器人 (open.feishu.cn/document/client-docs/bot-v3/add-custom-bot, read
// 2026-12-06): the string to sign is `${timestamp}\n${secret}`, used as the HMAC-SHA256 KEY over
// an EMPTY message; sign = base64(digest). timestamp in SECONDS, within 1 hour of Feishu's clock;
// both go in the JSON body beside msg_type.
//
// DingTalk 自定义机器人安全设置 (open.dingtalk.com/document/robots/customize-robot-security-settings,
// as quoted by apifox.com/apidoc/docs-site/467052/doc-3550006, read 2026-12-06): the string to sign
// is `${timestamp}\n${secret}`, the KEY is the secret itself (the SEC… string), sign =
// urlencode(base64(digest)). timestamp in MILLISECONDS, within 1 hour; both go in the query.
//
// The two are easy to confuse (key and message swap, seconds vs milliseconds): Feishu's
// 19021 "sign match fail" is what a DingTalk-style signature gets. Public implementations read
// for comparison (not copied): lynnclub/go v1/sign/feishu.go and 3vilive/larkbot signature.go
// (Feishu: key = string-to-sign, no data); dtapps/go-library service/dingtalk/sign.go (DingTalk:
// key = secret, data = string-to-sign). test/unit/notify/sign.test.ts checks both against
// node:crypto's createHmac.

const encoder = new TextEncoder();

async function hmacSha256(key: string, message: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, encoder.encode(message)));
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export interface FeishuSignature {
  /** Seconds since the epoch, as a string (the documented body field is a string). */
  timestamp: string;
  sign: string;
}

/** Feishu/Lark: sign = base64(HMAC-SHA256(key = `${timestamp}\n${secret}`, message = "")). */
export async function feishuSign(secret: string, nowMs: number): Promise<FeishuSignature> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { timestamp, sign: base64(await hmacSha256(`${timestamp}\n${secret}`, '')) };
}

export interface DingTalkSignature {
  /** Milliseconds since the epoch. */
  timestamp: string;
  /** base64, before URL encoding (URLSearchParams encodes it when it is set as a query value). */
  sign: string;
  /** urlencode(sign): what appears in the query string (+ / = escaped). */
  signEncoded: string;
}

/** DingTalk: sign = urlencode(base64(HMAC-SHA256(key = secret, message = `${timestamp}\n${secret}`))). */
export async function dingtalkSign(secret: string, nowMs: number): Promise<DingTalkSignature> {
  const timestamp = String(Math.floor(nowMs));
  const sign = base64(await hmacSha256(secret, `${timestamp}\n${secret}`));
  return { timestamp, sign, signEncoded: encodeURIComponent(sign) };
}
