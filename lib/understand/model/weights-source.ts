// Where the model's weights come from: weights.json, imported on first use. The service worker
// swaps this module for one that loads them from its model chunk (lib/background-start).
export async function loadWeightsJson(): Promise<unknown> {
  return ((await import('./weights.json')) as { default: unknown }).default;
}
