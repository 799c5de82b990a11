import type { PluginOption } from 'vite';
export declare const WXT_FAKE_BROWSER: string;
export declare function wxtVitestLight(): PluginOption[];
