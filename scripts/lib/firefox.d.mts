import type { Browser, Frame, Page } from 'puppeteer-core';
export declare function findFirefox(): string;
export declare const FIREFOX_EXTENSION_DIR: string;
export declare const FIREFOX_ADDON_ID: string;
/** The BiDi browsing context id of a puppeteer frame or page. */
export declare function contextId(frameOrPage: Frame | Page): string;
export interface NotificationWindow {
  /** The chrome-scope browsing context of Firefox's notification window. */
  context: string;
  title: string;
  text: string;
}
export interface LaunchedFirefox {
  browser: Browser;
  addonId: string;
  /** The extension's moz-extension:// host, random per launch. */
  uuid: string;
  /** moz-extension://<uuid> */
  origin: string;
  extensionUrl(path: string): string;
  /** Navigate a tab and wait for the load (also to the extension's pages). */
  navigate(page: Page, url: string): Promise<void>;
  /** A new tab on one of the extension's pages (popup.html, options.html, …). */
  openExtensionPage(path: string): Promise<Page>;
  /** The address a frame or tab really shows (puppeteer's url() lags behind for extension documents). */
  urlOf(frameOrPage: Frame | Page): Promise<string>;
  /** A tab's child frames at any depth, with the addresses they really show. */
  framesOf(page: Page): Promise<{ context: string; url: string }[]>;
  contextId(frameOrPage: Frame | Page): string;
  /** Firefox's notification windows now shown. */
  notificationWindows(): Promise<NotificationWindow[]>;
  /** Click a notification window with the pointer. */
  clickNotification(context: string): Promise<void>;
  close(): Promise<void>;
}
export declare function launchFirefoxWithExtension(opts?: {
  headless?: boolean;
  extensionDir?: string;
  lang?: string;
  prefs?: Record<string, unknown>;
  args?: string[];
}): Promise<LaunchedFirefox>;
