// The service worker's lib/understand/model/weights-source.ts (../vite-plugin.ts swaps it in):
// the model's weights (≤ 300 kB of JSON in the v3 format, validated by
// lib/understand/model/weights-format.ts once read) are a packaged file (wxt.config.ts), fetched
// on the first classification, never part of a script the worker starts with.
import { MODEL_WEIGHTS_FILE } from '../boundary';

export async function loadWeightsJson(): Promise<unknown> {
  const res = await fetch(`/${MODEL_WEIGHTS_FILE}`);
  if (!res.ok) throw new Error(`the model's weights (${MODEL_WEIGHTS_FILE}) could not be read: HTTP ${res.status}`);
  return res.json();
}
