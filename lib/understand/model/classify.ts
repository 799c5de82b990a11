// The learned classifier beside the rules (issue 18): logistic regression over the features in
// features.ts, one per label (buying, complaint, noise), Platt-calibrated, with thresholds chosen
// on the development part. Trained by scripts/understand/train.ts (see its header to retrain);
// the weights are data in weights.json. Methods, amounts, dates and negation stay with the rules
// (negation reaches the model as the "r:negated" feature).
//
// The weights (~150–250 kB of JSON) are loaded on first use through a dynamic import, never at
// module evaluation, so the background's start does not pay for them.
import { z } from 'zod';
import type { RuleView } from './features';
import { features } from './features';

export const MODEL_LABELS = ['buying', 'complaint', 'noise'] as const;
export type ModelLabel = (typeof MODEL_LABELS)[number];

const labelModelSchema = z.object({
  bias: z.number(),
  /** Platt scaling of the raw score: p = 1 / (1 + exp(-(a·raw + b))). */
  platt: z.object({ a: z.number(), b: z.number() }),
  /** Suggest only at or above this calibrated probability. */
  threshold: z.number().min(0).max(1),
});

export const weightsSchema = z.object({
  version: z.literal(1),
  trainedOn: z.string(),
  labels: z.object({ buying: labelModelSchema, complaint: labelModelSchema, noise: labelModelSchema }),
  /** feature → [buying, complaint, noise] weights (features absent here weigh 0). */
  weights: z.record(z.string(), z.tuple([z.number(), z.number(), z.number()])),
});
export type ModelWeights = z.infer<typeof weightsSchema>;

export interface LabelScore {
  /** Calibrated probability. */
  p: number;
  /** p ≥ the label's threshold. */
  decision: boolean;
}
export type Classification = Record<ModelLabel, LabelScore>;

export class UnderstandModel {
  constructor(readonly w: ModelWeights) {}

  /** Sync scoring once loaded: `s` is analyzeMessage's output for the same text. */
  classify(text: string, s: RuleView): Classification {
    const raw = MODEL_LABELS.map((l) => this.w.labels[l].bias);
    for (const f of features(text, s)) {
      const v = this.w.weights[f];
      if (!v) continue;
      for (let k = 0; k < 3; k++) raw[k]! += v[k]!;
    }
    const out = {} as Classification;
    MODEL_LABELS.forEach((l, k) => {
      const { platt, threshold } = this.w.labels[l];
      const p = 1 / (1 + Math.exp(-(platt.a * raw[k]! + platt.b)));
      out[l] = { p, decision: p >= threshold };
    });
    // Anything the model calls buying or a complaint, or that names a method, is not noise.
    if (out.buying.decision || out.complaint.decision || s.method) out.noise = { ...out.noise, decision: false };
    return out;
  }
}

let loading: Promise<UnderstandModel> | undefined;

/** The shipped model, loaded (and validated) once, on first use. */
export function loadModel(): Promise<UnderstandModel> {
  loading ??= import('./weights.json').then((m) => new UnderstandModel(weightsSchema.parse((m as { default: unknown }).default)));
  return loading;
}

export async function classify(text: string, s: RuleView): Promise<Classification> {
  return (await loadModel()).classify(text, s);
}
