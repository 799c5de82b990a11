// The service worker's lib/understand/model/weights-source.ts (./vite-plugin.ts swaps it in): the
// model's weights (~250 kB) in the model chunk, loaded on the first classification.
import { loadChunk } from '../chunks';
import type { ModelChunk } from '@/entrypoints/background-model';

export async function loadWeightsJson(): Promise<unknown> {
  return loadChunk<ModelChunk>('model').weights;
}
