// The service worker's start bundle and the chunks it loads on first use (issue 19, item 4).
//
// Chromium reads and deserialises the code cache of the whole worker script on every start, so
// the script's size is most of a cold start (notes: 1.99 MB → ~450 ms against ~47 ms for a minimal
// worker). A module service worker cannot import() lazily and a classic one may importScripts()
// only the scripts it imported while installing. So: background.js is a classic worker that
// importScripts() every chunk once in its `install` event (each chunk file only defines a
// function there, nothing runs) and again, synchronously, on first use; Firefox's event page
// lists the chunks before background.js in the manifest (loaded, not run).
//
// Build wiring: ./vite-plugin.ts (wxt.config.ts). This file is plain data, read by both sides.

/**
 * The chunks, each an unlisted entrypoint `entrypoints/background-<name>.ts` → `background-<name>.js`.
 * - services: everything but the start's reads (entrypoints/background/services.ts): the outbox,
 *   pulls, reminders, rules, understanding, imports, reports, leads… loaded on the first message
 *   or alarm that needs one, and by the start's housekeeping right after the waking event;
 * - vendors: every CRM vendor's adapter (loaded by the services' adapters);
 * - pinyin, phone: two libraries with big tables.
 */
export const CHUNKS = ['services', 'vendors', 'pinyin', 'phone'] as const;
export type ChunkName = (typeof CHUNKS)[number];

export const chunkFile = (name: ChunkName): string => `background-${name}.js`;

/**
 * The understanding model's weights, packaged as a data file and fetched on first use: data, not
 * code, so not a chunk either. An installed chunk is not free: Chromium hands every script the
 * worker installed (and its code cache) to each new worker, imported or not (the bench's diagnosis:
 * ~40 ms per start for 730 kB installed and never imported).
 */
export const MODEL_WEIGHTS_FILE = 'model-weights.json';

/**
 * Modules with state or class identity the start bundle and the chunks both use: a chunk does not
 * get its own copy, it reads the bundle's that provides it (lib/background-start/shared.ts).
 * Provided by the start bundle:
 * - dexie and the database module: one Dexie (its promise zones are per copy) and one database;
 * - the router: `instanceof MessageError` turns a handler's refusal into its answer;
 * - broadcast: where the framed sidebars are (set by the start).
 * Provided by the services chunk (to the vendors chunk, which only the services load):
 * - errors: `instanceof CrmError` / OAuthError decides retries, pull fallbacks and messages;
 * - http + rate-limiter: one limiter per host for every request (rate-limiter.ts `limiters`);
 * - connection-state: its in-memory cache of per-connection state.
 * Paths from the repository root; a bare name is a package.
 */
export const START_SHARED_MODULES = ['dexie', 'lib/db/db.ts', 'lib/messaging/router.ts', 'entrypoints/background/broadcast.ts'] as const;
export const SERVICES_SHARED_MODULES = ['lib/crm/errors.ts', 'lib/oauth/errors.ts', 'lib/crm/http.ts', 'lib/crm/rate-limiter.ts', 'lib/crm/connection-state.ts'] as const;
export const SHARED_MODULES = [...START_SHARED_MODULES, ...SERVICES_SHARED_MODULES] as const;
export type SharedModule = (typeof SHARED_MODULES)[number];

/** What a build reads from the others rather than bundling: the start bundle none, the services the start's, the rest both. */
export function sharedFor(role: 'start' | ChunkName): readonly SharedModule[] {
  if (role === 'start') return [];
  if (role === 'services') return START_SHARED_MODULES;
  return SHARED_MODULES;
}

/** A shared module that is a package (resolved by name), not a file of the repository. */
export const isSharedPackage = (m: SharedModule): boolean => !m.includes('/');
