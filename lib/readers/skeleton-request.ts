// What the background hands the on-demand skeleton script (entrypoints/page-skeleton.ts) in the
// tab's isolated world, where the page can neither read nor set it: the site and its selectors.
import type { ReaderSelectors } from './types';

export interface SkeletonRequest {
  site: string;
  selectors: ReaderSelectors;
}

/** The isolated world's global the request is set under, read and deleted by the script. */
export const SKELETON_REQUEST_GLOBAL = '__liaisonSkeletonRequest';
