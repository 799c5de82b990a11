// Shared types of the group-robot emulator (server.ts). Each vendor's route file says which
// documentation pages (and dates) it follows.
import type { IncomingHttpHeaders } from 'node:http';

export type Vendor = 'feishu' | 'dingtalk' | 'wecom' | 'slack';

export interface EmRobot {
  vendor: Vendor;
  /** The credential in the URL: Feishu hook token, DingTalk access_token, WeCom key, Slack T/B/secret path. */
  token: string;
  /** Feishu 签名校验 / DingTalk 加签 secret; the robot then refuses unsigned requests. */
  secret?: string;
  /** 自定义关键词: a message must contain one. */
  keywords?: string[];
}

export interface EmRequest {
  host: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

export interface EmReply {
  status: number;
  headers?: Record<string, string>;
  body: string | Record<string, unknown>;
}

export interface RecordedMessage {
  vendor: Vendor;
  token: string;
  at: number;
  /** The JSON body as received (Feishu's timestamp/sign included: that is what it got). */
  body: Record<string, unknown>;
}

export interface RequestLogEntry {
  vendor: Vendor | 'unknown';
  token?: string;
  at: number;
  status: number;
  /** Vendor code (Feishu code, DingTalk/WeCom errcode, Slack body text). */
  code: string;
}

export interface EmState {
  robots: EmRobot[];
  messages: RecordedMessage[];
  requests: RequestLogEntry[];
  /** Send times per token, for the rate rules. */
  sends: Map<string, number[]>;
  /** DingTalk's ten-minute ban, per token. */
  bannedUntil: Map<string, number>;
}

export interface VendorContext {
  state: EmState;
  now: number;
  find(token: string): EmRobot | undefined;
}

/** At most `max` sends in the `windowMs` before now (sends recorded by the caller). */
export function overLimit(sends: readonly number[], now: number, max: number, windowMs: number): boolean {
  let n = 0;
  for (const s of sends) if (s > now - windowMs && s <= now) n += 1;
  return n >= max;
}

export function parseJson(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export const isStr = (v: unknown): v is string => typeof v === 'string';
export const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
export const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Every string inside a JSON value (for keyword checks). */
export function allText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(allText).join('\n');
  if (isObj(v)) return Object.values(v).map(allText).join('\n');
  return '';
}
