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
// The weights (≤ 300 kB of JSON in the compact v3 format, ./weights-format.ts) are loaded on first
// use (./weights-source.ts: a dynamic import; in the service worker, a fetch of the packaged
// model-weights.json), validated there, never at module evaluation.
import type { RuleView } from './features';
import { features } from './features';
import { MODEL_LABELS, type ModelLabel, type ModelWeights, decodeWeights } from './weights-format';
import { loadWeightsJson } from './weights-source';

export { MODEL_LABELS, type ModelLabel, type ModelWeights, decodeWeights };

export interface LabelScore {
  /** Calibrated probability. */
  p: number;
  /** p ≥ the label's threshold. */
  decision: boolean;
}
export type Classification = Record<ModelLabel, LabelScore>;

export class UnderstandModel {
  constructor(readonly w: ModelWeights) {}

  /** Raw scores per label (in `w.labels` order) of a message's feature strings, before Platt scaling. */
  raw(fs: readonly string[]): number[] {
    const { labels, index, w } = this.w;
    const L = labels.length;
    const z = labels.map((l) => l.bias);
    for (const f of fs) {
      const i = index.get(f);
      if (i === undefined) continue;
      for (let k = 0; k < L; k++) z[k]! += w[i * L + k]!;
    }
    return z;
  }

  /** Calibrated probabilities and decisions per label, before the cross-label rule below. */
  scores(text: string, s: RuleView): Classification {
    const raw = this.raw(features(text, s, this.w.features));
    const out = {} as Classification;
    this.w.labels.forEach((l, k) => {
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

/** The shipped model, loaded (and validated: weights-format.ts) once, on first use. */
export function loadModel(): Promise<UnderstandModel> {
  loading ??= loadWeightsJson().then((w) => new UnderstandModel(decodeWeights(w)));
  return loading;
}

export async function classify(text: string, s: RuleView): Promise<Classification> {
  return (await loadModel()).classify(text, s);
}
