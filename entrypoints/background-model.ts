// The service worker's model chunk (lib/background-start/boundary.ts): the understanding model's weights.
import weights from '@/lib/understand/model/weights.json';
import { provideChunk } from '@/lib/background-start/chunks';

export interface ModelChunk {
  weights: unknown;
}

export default defineUnlistedScript(() => provideChunk('model', { weights } satisfies ModelChunk));
