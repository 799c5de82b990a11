// The machine a run happened on, so every figure in results.md can be put in context and
// reproduced: CPU, cores, memory, Node, Chromium, and the load while the bench ran (this
// machine is shared; a busy neighbour shows up here rather than silently in the timings).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { findChromium } from '../../scripts/lib/chromium.mjs';

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  chromium: string;
}

export function describeMachine(): Machine {
  let chromium = 'not found';
  try {
    const bin = findChromium();
    // The Debian wrapper prints a harmless shell warning on stderr; only stdout is the version.
    chromium = execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    /* reported as not found */
  }
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium,
  };
}

/** 1-, 5- and 15-minute load averages, rounded. */
export function load(): [number, number, number] {
  const [a, b, c] = os.loadavg();
  return [a, b, c].map((x) => Math.round((x ?? 0) * 100) / 100) as [number, number, number];
}
