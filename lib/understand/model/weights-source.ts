// Where the model's weights come from: weights.json, imported on first use. The service worker
// swaps this module for one that fetches the same file, packaged as model-weights.json, so the
// weights are never part of a script the worker starts with (lib/background-start/lazy/weights-source.ts).
export async function loadWeightsJson(): Promise<unknown> {
  return ((await import('./weights.json')) as { default: unknown }).default;
}
