// WXT's own content-script context under another name (an alias in wxt.config.ts), so that
// lib/content/wxt-context.ts can extend it while taking its place.
declare module 'wxt-original/content-script-context' {
  export { ContentScriptContext } from 'wxt/utils/content-script-context';
}
