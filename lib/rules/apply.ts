// Runs the actions of the rules a conversation triggered, each firing at most once (its key is
// remembered per customer in kv), through effects the background supplies, so the writes go
// through the same one-transaction domain functions as the user's own clicks.
import type { LiaisonDb } from '../db/db';
import type { CustomerInput, DealInput } from '../messaging/protocol';
import type { IntentLevel } from '../model';
import type { Firing, RuleContext } from './evaluate';
import type { RuleAction } from './schema';

export interface RuleEffects {
  createDeal(input: DealInput): Promise<void>;
  updateCustomer(patch: CustomerInput): Promise<void>;
  notify(title: string, message: string): Promise<void>;
}

const FIRED_PREFIX = 'rules:fired:';
const FIRED_MAX = 1000;

export interface Applied {
  ruleId: string;
  actions: RuleAction['type'][];
  failed: number;
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
    const applied: Applied = { ruleId: rule.id, actions: [], failed: 0 };
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
        }
        applied.actions.push(a.type);
      } catch {
        applied.failed++;
      }
    }
    if (Object.keys(patch).length) {
      try {
        await effects.updateCustomer(patch);
      } catch {
        applied.failed++;
      }
    }
    out.push(applied);
  }
  return out;
}
