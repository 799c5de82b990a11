// Runs the actions of the rules a conversation triggered, each firing at most once (its key is
// remembered per customer in kv), through effects the background supplies, so the writes go
// through the same one-transaction domain functions as the user's own clicks.
import type { LiaisonDb } from '../db/db';
import type { CustomerInput, DealInput } from '../messaging/protocol';
import type { IntentLevel } from '../model';
import type { MappingContext } from '../mapping';
import type { NotifyEvent } from '../notify/templates';
import { CrmError } from '../crm/errors';
import type { Firing, RuleContext } from './evaluate';
import { notifyContext } from './notify-context';
import type { RuleAction } from './schema';

export interface RuleEffects {
  createDeal(input: DealInput): Promise<void>;
  updateCustomer(patch: CustomerInput): Promise<void>;
  notify(title: string, message: string): Promise<void>;
  /** Post to a group robot (lib/notify notifyGroup); throws CrmError when the robot refuses. Absent: the action fails, reported. */
  notifyGroup?(robotId: string, event: NotifyEvent, context: MappingContext): Promise<void>;
}

const FIRED_PREFIX = 'rules:fired:';
const FIRED_MAX = 1000;

export interface ActionProblem {
  action: RuleAction['type'];
  /** CrmError kind ('rate-limited', 'network', 'auth'…) or 'error'. */
  kind: string;
  /** Worth sending again later: not retried here (no outbox for notifications, docs/robots.md). */
  retryable: boolean;
  message: string;
}

export interface Applied {
  ruleId: string;
  actions: RuleAction['type'][];
  failed: number;
  /** Why the failed actions failed, for the notification log the options page shows. */
  problems: ActionProblem[];
}

function problemOf(action: RuleAction['type'], e: unknown): ActionProblem {
  if (e instanceof CrmError) return { action, kind: e.kind, retryable: e.retryable, message: `${e.userMessage.zh_CN} / ${e.userMessage.en}` };
  return { action, kind: 'error', retryable: false, message: e instanceof Error ? e.message : String(e) };
}

export async function applyRules(db: LiaisonDb, firings: readonly Firing[], ctx: RuleContext, effects: RuleEffects, now: number): Promise<Applied[]> {
  if (!firings.length) return [];
  const key = FIRED_PREFIX + ctx.customer.id;
  const fired = new Set(((await db.kv.get(key))?.value as string[] | undefined) ?? []);
  const todo = firings.filter((f) => !fired.has(f.key));
  if (!todo.length) return [];
  // Remembered before acting: an action that fails is reported, not retried on every message.
  for (const f of todo) fired.add(f.key);
  await db.kv.put({ key, value: [...fired].slice(-FIRED_MAX) });

  const u = ctx.understanding;
  const out: Applied[] = [];
  for (const { rule } of todo) {
    const applied: Applied = { ruleId: rule.id, actions: [], failed: 0, problems: [] };
    const patch: CustomerInput = {};
    for (const a of rule.then) {
      try {
        switch (a.type) {
          case 'createDeal': {
            const product = u.buying.product ?? ctx.customer.product;
            if (!product) continue; // a deal needs a product; the suggestion still offers it
            await effects.createDeal({ product, ...(u.buying.amount ? { amount: u.buying.amount.value } : {}) });
            break;
          }
          case 'setStage':
            patch.stage = a.value;
            break;
          case 'setGrade':
            patch.grade = a.value;
            break;
          case 'setIntentLevel':
            patch.intentLevel = (a.value === 'detected' ? u.intentLevel : a.value) as IntentLevel;
            break;
          case 'setNextFollowUp':
            if (!u.nextFollowUp || u.nextFollowUp.at <= now) continue;
            patch.nextFollowUpAt = u.nextFollowUp.at;
            break;
          case 'notify':
            await effects.notify(rule.name, `${ctx.customer.name} · ${ctx.customer.code}`);
            break;
          case 'notifyGroup': {
            const deal = (await db.deals.where('customerId').equals(ctx.customer.id).toArray())
              .filter((d) => d.status === '进行中')
              .sort((x, y) => y.createdAt - x.createdAt)[0];
            if (!effects.notifyGroup) throw new Error('group notifications are not available here');
            await effects.notifyGroup(a.robotId, a.event, notifyContext(ctx, deal, now));
            break;
          }
        }
        applied.actions.push(a.type);
      } catch (e) {
        applied.failed++;
        applied.problems.push(problemOf(a.type, e));
      }
    }
    if (Object.keys(patch).length) {
      try {
        await effects.updateCustomer(patch);
      } catch (e) {
        applied.failed++;
        applied.problems.push(problemOf(rule.then.find((x) => x.type.startsWith('set'))?.type ?? 'setStage', e));
      }
    }
    out.push(applied);
  }
  return out;
}
