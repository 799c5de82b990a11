// Starts one real NocoDB for the whole integration run (installing it first if the cache has no
// copy), hands its URL and API token to the test files through vitest's provide/inject, and
// stops it (the whole process group) afterwards. Any failure here fails the run loudly.
import type { TestProject } from 'vitest/node';
import { startNocodb } from '../../scripts/nocodb/harness';

export interface ProvidedNocodb {
  url: string;
  token: string;
  baseId: string;
  timings: { installMs: number; reusedInstall: boolean; startMs: number };
}

declare module 'vitest' {
  export interface ProvidedContext {
    nocodb: ProvidedNocodb;
  }
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  const server = await startNocodb();
  project.provide('nocodb', { url: server.url, token: server.token, baseId: server.baseId, timings: server.timings });
  const t = server.timings;
  console.log(
    `[nocodb] ${server.version} at ${server.url}: install ${t.reusedInstall ? 'reused (cached)' : `${(t.installMs / 1000).toFixed(0)} s`}, start ${(t.startMs / 1000).toFixed(1)} s, setup total ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return async () => {
    await server.stop();
  };
}
