// The learned classifier beside the rules (issue 18): logistic regression over the features in
// features.ts, one per label, Platt-calibrated, with thresholds chosen on out-of-fold scores of
// the development part. Trained by scripts/understand/train.ts (see its header to retrain); the
// weights are data in weights.json.
//
// Labels: buying, complaint and noise are decided by the model. `method` is a gate, "does this
// message arrange, request or report a channel of contact?": the rules still pick which channel
// (lib/understand/method.ts), and a rule hit the gate scores below its threshold (a phone bill,
// paying by WeChat, the email you sent) is dropped. Amounts, dates and negation stay with the
// rules (negation reaches the model as the "r:negated" feature).
//
// The weights (≤ 300 kB of JSON) are loaded on first use (./weights-source.ts: a dynamic import;
// in the service worker, a fetch of the packaged model-weights.json), never at module evaluation.
import { z } from 'zod';
import type { RuleView } from './features';
import { featureOptionsSchema, features } from './features';
import { loadWeightsJson } from './weights-source';
import { lazySchema } from '../../model/lazy-schema';

/** The scale train.ts stores weights at (1/1000). */
export const WEIGHT_SCALE = 1000;

export const MODEL_LABELS = ['buying', 'complaint', 'noise', 'method'] as const;
export type ModelLabel = (typeof MODEL_LABELS)[number];

const labelModelSchema = lazySchema(() => z.object({
  name: z.enum(MODEL_LABELS),
  bias: z.number(),
  /** Platt scaling of the raw score: p = 1 / (1 + exp(-(a·raw + b))). */
  platt: z.object({ a: z.number(), b: z.number() }),
  /** Suggest only at or above this calibrated probability. */
  threshold: z.number().min(0).max(1),
}));

export const weightsSchema = lazySchema(() => z
  .object({
    version: z.literal(2),
    trainedOn: z.string(),
    /** The feature set the weights were trained with (features.ts). */
    features: featureOptionsSchema,
    /** In the order of each weight vector. */
    labels: z.array(labelModelSchema).min(1),
    /** Call a message noise only when the rules find nothing in it either (chosen by cross-validation). */
    noiseNeedsRules: z.boolean().default(false),
    /** Weights are stored as integers: the weight is the stored number / scale (a third smaller JSON). */
    scale: z.number().positive(),
    /** feature → one weight per label, in `labels` order (features absent here weigh 0). */
    weights: z.record(z.string(), z.array(z.number().int())),
  })
  .superRefine((w, ctx) => {
    const names = w.labels.map((l) => l.name);
    for (const l of MODEL_LABELS) if (!names.includes(l)) ctx.addIssue({ code: 'custom', message: `label ${l} missing` });
    for (const [f, v] of Object.entries(w.weights))
      if (v.length !== w.labels.length) {
        ctx.addIssue({ code: 'custom', message: `feature ${f}: ${v.length} weights for ${w.labels.length} labels` });
        return;
      }
  }));
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

  /** Calibrated probabilities and decisions per label, before the cross-label rule below. */
  scores(text: string, s: RuleView): Classification {
    const { labels } = this.w;
    const sum = labels.map(() => 0);
    for (const f of features(text, s, this.w.features)) {
      const v = this.w.weights[f];
      if (!v) continue;
      for (let k = 0; k < sum.length; k++) sum[k]! += v[k]!;
    }
    const raw = labels.map((l, k) => l.bias + sum[k]! / this.w.scale);
    const out = {} as Classification;
    labels.forEach((l, k) => {
      const p = 1 / (1 + Math.exp(-(l.platt.a * raw[k]! + l.platt.b)));
      out[l.name] = { p, decision: p >= l.threshold };
    });
    return out;
  }

  /** Sync scoring once loaded: `s` is analyzeMessage's output for the same text. */
  classify(text: string, s: RuleView): Classification {
    const out = this.scores(text, s);
    // The gate only confirms a channel the rules found; it never invents one.
    if (!s.method) out.method = { ...out.method, decision: false };
    // Anything the model calls buying or a complaint, or that names a method, is not noise.
    if (out.buying.decision || out.complaint.decision || out.method.decision || (this.w.noiseNeedsRules && !s.noise)) out.noise = { ...out.noise, decision: false };
    return out;
  }
}

let loading: Promise<UnderstandModel> | undefined;

/** The shipped model, loaded (and validated) once, on first use. */
export function loadModel(): Promise<UnderstandModel> {
  loading ??= loadWeightsJson().then((w) => new UnderstandModel(weightsSchema.parse(w)));
  return loading;
}

export async function classify(text: string, s: RuleView): Promise<Classification> {
  return (await loadModel()).classify(text, s);
}
