// The background's side of the protocol: who is asking, may they, and is the request well formed.
// Runs before any handler. A compromised renderer can forge content-script messages, so a
// content script is trusted only with what its own page could see anyway (reliability-security.md B).
import { protocol, type ErrorCode, type MessageType, type ParsedRequestOf, type Reply, type ResponseOf, type SenderContext } from './protocol';

export interface SenderInfo {
  /** runtime.MessageSender.id */
  id?: string;
  url?: string;
  tab?: { id?: number; url?: string };
  /** runtime.MessageSender.frameId: which frame of the tab sent it (the framed sidebar's, for one) */
  frameId?: number;
}

export interface RequestContext {
  context: SenderContext;
  /** The tab a content script runs in. */
  tabId?: number;
  url?: string;
  /** For content scripts: the site whose reader covers the sender's URL. */
  site?: string;
  /** For an extension page framed in a tab (the sidebar): its frame, to send it word back. */
  frameId?: number;
}

export type Handler<T extends MessageType> = (payload: ParsedRequestOf<T>, ctx: RequestContext) => Promise<ResponseOf<T>>;
export type Handlers = { [T in MessageType]: Handler<T> };

export class MessageError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MessageError';
  }
}

export interface RouterOptions {
  extensionId: string;
  /** e.g. chrome-extension://<id>/ */
  extensionOrigin: string;
  /** Which site reader covers a page URL (content scripts only run where one does). */
  siteForUrl(url: string): string | undefined;
  /** Errors that are not MessageErrors get mapped here (e.g. domain ValidationError → 'invalid'). */
  mapError?(err: unknown): { code: ErrorCode; message: string } | undefined;
  onError?(type: string, err: unknown): void;
}

function isEnvelope(m: unknown): m is { liaison: 1; type: string; payload: unknown } {
  return typeof m === 'object' && m !== null && (m as { liaison?: unknown }).liaison === 1 && typeof (m as { type?: unknown }).type === 'string';
}

export function senderContext(sender: SenderInfo, opts: Pick<RouterOptions, 'extensionId' | 'extensionOrigin' | 'siteForUrl'>): RequestContext {
  if (sender.id !== opts.extensionId) throw new MessageError('forbidden', 'message from another extension or a web page');
  const url = sender.url ?? sender.tab?.url;
  if (url?.startsWith(opts.extensionOrigin)) {
    return { context: 'page', url, tabId: sender.tab?.id, ...(sender.tab?.id !== undefined && sender.frameId ? { frameId: sender.frameId } : {}) };
  }
  if (sender.tab?.id !== undefined && url) {
    const site = opts.siteForUrl(url);
    if (!site) throw new MessageError('forbidden', 'content script on a page no site reader covers');
    return { context: 'content', tabId: sender.tab.id, url, site };
  }
  throw new MessageError('forbidden', 'unknown sender');
}

/** Payload fields naming a site must name the sender's own site. */
function checkSameSite(payload: unknown, ctx: RequestContext): void {
  const p = payload as { conv?: { site?: string }; conversation?: { site?: string } };
  const site = p.conv?.site ?? p.conversation?.site;
  if (site !== undefined && site !== ctx.site) throw new MessageError('forbidden', `a ${ctx.site} page cannot act on ${site} conversations`);
}

export function createRouter(handlers: Handlers, opts: RouterOptions) {
  return async function route(message: unknown, sender: SenderInfo): Promise<Reply | undefined> {
    // Not ours (e.g. a change event echoed back): let other listeners answer.
    if (!isEnvelope(message)) return undefined;
    const type = message.type;
    try {
      if (!Object.hasOwn(protocol, type)) throw new MessageError('bad-request', `unknown message type: ${type}`);
      const def = protocol[type as MessageType];
      const ctx = senderContext(sender, opts);
      if (!(def.from as readonly SenderContext[]).includes(ctx.context)) {
        throw new MessageError('forbidden', `${type} may not be sent from a ${ctx.context} context`);
      }
      const parsed = def.request.safeParse(message.payload ?? {});
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        throw new MessageError('bad-request', `${type}: ${first ? `${first.path.join('.') || 'payload'}: ${first.message}` : 'invalid payload'}`);
      }
      if (ctx.context === 'content') checkSameSite(parsed.data, ctx);
      const handler = handlers[type as MessageType] as Handler<MessageType>;
      const data = await handler(parsed.data as never, ctx);
      return { ok: true, data } as Reply;
    } catch (err) {
      opts.onError?.(type, err);
      if (err instanceof MessageError) return { ok: false, error: { code: err.code, message: err.message } };
      const mapped = opts.mapError?.(err);
      if (mapped) return { ok: false, error: mapped };
      return { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } };
    }
  };
}
