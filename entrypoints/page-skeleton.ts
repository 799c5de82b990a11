// 复制页面结构: injected into a chat tab only when the user asks for its skeleton
// (chrome.scripting.executeScript from entrypoints/background/diagnostics.ts), never registered.
// The scrubber (lib/readers/diagnostics.ts) used to ride in every content script: 6.7 kB of each
// chat page's injected code for a button pressed when a site has changed. The background first
// sets the request in this extension's isolated world; main's result is what executeScript hands
// back, and the background still takes it only if it can only be a skeleton (isSkeleton).
import { pageSkeleton } from '@/lib/readers/diagnostics';
import { SKELETON_REQUEST_GLOBAL, type SkeletonRequest } from '@/lib/readers/skeleton-request';

export default defineUnlistedScript(() => {
  const g = globalThis as unknown as Record<string, SkeletonRequest | undefined>;
  const req = g[SKELETON_REQUEST_GLOBAL];
  delete g[SKELETON_REQUEST_GLOBAL];
  if (!req || typeof req.site !== 'string' || !req.selectors) return null;
  return { site: req.site, skeleton: pageSkeleton(document, { id: req.site, selectors: req.selectors }) };
});
