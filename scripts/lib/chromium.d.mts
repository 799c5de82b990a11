import type { BrowserContext, Worker } from 'playwright-core';
export declare function findChromium(): string;
export declare const OUTPUT_DIR: string;
export declare const EXTENSION_DIR: string;
export interface LaunchedExtension {
  context: BrowserContext;
  extensionId: string;
  worker(): Promise<Worker>;
  extensionUrl(path: string): string;
  close(): Promise<void>;
}
export declare function launchWithExtension(opts?: {
  headless?: boolean;
  extensionDir?: string;
  profileDir?: string;
  lang?: string;
  args?: string[];
  viewport?: { width: number; height: number } | null;
}): Promise<LaunchedExtension>;
