// The local-database bench in Chromium's own IndexedDB (a plain loopback page; the extension's
// service worker uses the same IndexedDB implementation). Exposed as window.__dbBench.
import { deleteBenchDb, openOnly, runDbBench } from '../db-core';

(window as unknown as { __dbBench: unknown }).__dbBench = { runDbBench, openOnly, deleteBenchDb };
