// The follow-up record a conversation window becomes: what auto-logging writes and what the
// sidebar offers for one click when auto-logging is off. Summaries, not transcripts, unless the
// user turned settings.keepTranscripts on.
import type { ChatMessage } from '../model';
import type { Understanding } from '../understand';
import type { FollowUpPrefill } from '../suggest/schema';

const TRANSCRIPT_MAX = 8000;

export function nextActionFor(u: Understanding): string | undefined {
  if (u.nextFollowUp) return `下次跟进：${u.nextFollowUp.text}`.slice(0, 500);
  if (u.complaint.present) return '处理售后工单';
  if (u.buying.present) return u.buying.product ? `跟进${u.buying.product}报价` : '跟进报价';
  return undefined;
}

export function draftFollowUp(
  messages: readonly ChatMessage[],
  u: Understanding,
  opts: { summary: string; keepTranscripts: boolean; now: number },
): FollowUpPrefill {
  const summary = opts.summary.trim() || u.products.join('、') || '聊天沟通';
  let content = summary;
  if (opts.keepTranscripts) {
    const lines = messages.map((m) => `${m.direction === 'in' ? '客户' : '我方'}：${m.text}`).join('\n');
    content = `${summary}\n\n${lines}`.slice(0, TRANSCRIPT_MAX);
  }
  const next = u.nextFollowUp && u.nextFollowUp.at > opts.now ? u.nextFollowUp.at : undefined;
  const nextAction = nextActionFor(u);
  return {
    method: u.method,
    content,
    ...(u.result ? { result: u.result } : {}),
    ...(nextAction ? { nextAction } : {}),
    ...(next !== undefined ? { nextAt: next } : {}),
    messageIds: messages.map((m) => m.id),
  };
}
