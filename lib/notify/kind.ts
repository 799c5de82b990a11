// What a group-robot kind declares (one file per kind, listed in registry.ts): names, the
// webhook URL it accepts, the host the extension must be allowed to reach, the signing secret
// where the vendor signs, help steps, the documented rate rules, and how it builds a message
// and reads the vendor's reply. Pure: no browser APIs, no network.
import type { CompiledTemplate, LookupTables, MappingContext } from '../mapping';
import type { CrmError } from '../crm/errors';
import type { Localized } from '../crm/spec';
import type { RateRule } from './rate-limit';

export const ROBOT_KIND_IDS = ['feishu', 'dingtalk', 'wecom', 'slack'] as const;
export type RobotKindId = (typeof ROBOT_KIND_IDS)[number];

export const MESSAGE_FORMATS = ['text', 'rich'] as const;
export type MessageFormat = (typeof MESSAGE_FORMATS)[number];

export interface DocRef {
  title: string;
  url: string;
  /** When we read it (the page can change under us). */
  read: string;
}

export interface BuildInput {
  title?: CompiledTemplate;
  body: CompiledTemplate;
  ctx: MappingContext;
  format: MessageFormat;
  /** Literal text put before the title (the robot's 自定义关键词 when the message lacks it). */
  prefix?: string;
  lookups?: LookupTables;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; problem: Localized };

export interface SignedRequest {
  url: URL;
  body: Record<string, unknown>;
}

export interface RobotKind {
  id: RobotKindId;
  names: Localized;
  /** What the URL looks like, for the options form's placeholder. */
  urlExample: string;
  /** The match patterns the manifest (optional_host_permissions) must grant for fetch to reach it. */
  hostPermissions: readonly string[];
  parseUrl(raw: string): UrlCheck;
  /** Present when the vendor can sign requests with a secret shown in the robot's settings. */
  secret?: {
    label: Localized;
    /** A pasted value that cannot be a secret of this kind (e.g. DingTalk's start with SEC). */
    pattern?: RegExp;
    help: Localized;
  };
  /** Whether the robot can be set to refuse messages without one of its 自定义关键词. */
  keywords: boolean;
  /** Steps to create the robot in the group settings. */
  help: { zh_CN: readonly string[]; en: readonly string[] };
  /** Every documented rule; the client never sends faster than the strictest. */
  rateRules: readonly RateRule[];
  rateNote: Localized;
  docs: readonly DocRef[];
  build(input: BuildInput): Record<string, unknown>;
  sign?(url: URL, body: Record<string, unknown>, secret: string, nowMs: number): Promise<SignedRequest>;
  /** The vendor's reply → undefined when delivered, else a CrmError with the vendor's message. */
  classify(status: number, headers: Headers, text: string, nowMs: number): CrmError | undefined;
}

/** One line per paragraph of a rendered body, for formats that take lines (Feishu post). */
export const lines = (s: string) => s.split(/\r?\n/);

/** Parses a reply body as JSON when it is JSON; undefined otherwise. */
export function jsonOf(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The https URL with exactly this host, or a localized problem. */
export function httpsOn(raw: string, hosts: readonly string[]): URL | Localized {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return { zh_CN: '这不是一个完整的网址，请粘贴机器人设置页里复制的 Webhook 地址', en: 'This is not a full URL; paste the webhook address copied from the robot settings' };
  }
  if (u.protocol !== 'https:') return { zh_CN: 'Webhook 地址必须以 https:// 开头', en: 'The webhook address must start with https://' };
  if (!hosts.includes(u.hostname) || u.port !== '' || u.username || u.password)
    return { zh_CN: `Webhook 地址的域名应为 ${hosts.join(' 或 ')}`, en: `The webhook address must be on ${hosts.join(' or ')}` };
  if (u.hash) return { zh_CN: 'Webhook 地址不应包含 # 片段', en: 'The webhook address must not contain a # fragment' };
  return u;
}
