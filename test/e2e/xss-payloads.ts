// Hostile text for the XSS pass (test/e2e/xss-payloads.test.ts). Every payload, were it ever
// parsed as markup or run as code, would leave a numbered mark: `alert(<marker>)` opens a dialog
// whose message is the number, `__pwned=<marker>` sets window.__pwned in that frame, and a DOM-
// clobbering one makes window.__pwned an element. The marker is 1000 + the payload's number, so
// it never collides with the demo chat's own hostile contact (alert(1)) and a hit names the
// payload: PAYLOADS[marker - 1001].
//
// Written for this test: classic and mixed-case script tags, handlers on img/svg/details/media,
// javascript: and data: URLs, attribute breakouts with both quote kinds and backticks, template
// and interpolation syntaxes, CSS expression/url(javascript:), iframe srcdoc, forms, math,
// entity-encoded, percent-encoded and full-width variants, null bytes, bidi overrides, zero-width
// characters, very long strings, markdown links, prototype-pollution shapes, and sentences that
// carry buying and scheduling words so the conversation understanding picks them up.

/** `@@` in a template is the payload's marker number. */
type Template = string | ((m: number) => string);

const NUL = '\u0000';
const RLO = '\u202E';
const RLE = '\u202B';
const RLI = '\u2067';
const PDI = '\u2069';
const ZWSP = '\u200B';
const BOM = '\uFEFF';

const TEMPLATES: Array<[kind: string, template: Template]> = [
  // Script tags
  ['script', '<script>alert(@@)</script>'],
  ['script', '<script>window.__pwned=@@</script>'],
  ['script-case', '<ScRiPt>alert(@@)</sCrIpT>'],
  ['script-data-src', '<script src="data:text/javascript,alert(@@)"></script>'],
  ['script-slash', '<script/x>alert(@@)</script>'],
  ['script-close', '</script><script>alert(@@)</script>'],
  ['script-nested', '<<script>alert(@@);//<</script>'],
  ['script-split', '<scr<script>ipt>alert(@@)</scr</script>ipt>'],
  // img handlers
  ['img', '<img src=x onerror=alert(@@)>'],
  ['img', '<img src=x onerror="window.__pwned=@@">'],
  ['img-case', '<IMG SRC=x OnErRoR=alert(@@)>'],
  ['img-single-quote', "<img src='x' onerror='alert(@@)'>"],
  ['img-slashes', '<img/src=x/onerror=alert(@@)>'],
  ['img-entity-handler', '<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(@@)>'],
  ['img-eval-src', '<img src=x:alert(alt) onerror=eval(src) alt=@@>'],
  ['img-js-src', '<img src="javascript:alert(@@)">'],
  ['img-template-call', '<img src=x onerror=alert`@@`>'],
  ['img-srcset', '<img srcset=",,,,,x" onerror=alert(@@)>'],
  ['img-unterminated', '<img src=x onerror=alert(@@)//'],
  ['image-tag', '<image src=x onerror=alert(@@)>'],
  ['img-unicode-escape', '<img src=x onerror=\\u0061lert(@@)>'],
  // SVG
  ['svg', '<svg onload=alert(@@)>'],
  ['svg', '<svg/onload=window.__pwned=@@>'],
  ['svg-script', '<svg><script>alert(@@)</script></svg>'],
  ['svg-animate', '<svg><animate onbegin=alert(@@) attributeName=x dur=1s>'],
  ['svg-set', '<svg><set onbegin=alert(@@) attributeName=x to=1>'],
  ['svg-animate-href', '<svg><a><animate attributeName=href values=javascript:alert(@@) /><text x=20 y=20>click</text></a></svg>'],
  ['svg-xlink', '<svg><a xlink:href="javascript:alert(@@)"><text x=20 y=20>click</text></a></svg>'],
  ['svg-foreign', '<svg><foreignObject><img src=x onerror=alert(@@)></foreignObject></svg>'],
  ['svg-style-mxss', '<svg><style><img src=x onerror=alert(@@)></style></svg>'],
  ['svg-entity', '<svg onload=alert&#40;@@&#41;>'],
  // javascript: URLs
  ['js-url', 'javascript:alert(@@)'],
  ['js-url-case', 'JaVaScRiPt:alert(@@)'],
  ['js-url-tab', 'java\tscript:alert(@@)'],
  ['js-url-entity', '&#106;avascript:alert(@@)'],
  ['js-url-polyglot', "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(@@)//'>"],
  ['a-js', '<a href="javascript:alert(@@)">click</a>'],
  ['a-js-colon-entity', '<a href=javascript&colon;alert(@@)>x</a>'],
  ['a-js-hex-entity', '<a href="&#x6A;avascript:alert(@@)">x</a>'],
  ['a-data-b64', (m) => `<a href="data:text/html;base64,${btoa(`<script>alert(${m})</script>`)}">x</a>`],
  // Attribute breakouts
  ['break-double', '"><script>alert(@@)</script>'],
  ['break-single', "'><script>alert(@@)</script>"],
  ['break-double-handler', '" onmouseover="alert(@@)'],
  ['break-single-handler', "' onfocus='alert(@@)' autofocus='"],
  ['break-autofocus', '" autofocus onfocus=alert(@@) x="'],
  ['break-double-img', '"><img src=x onerror=alert(@@)>'],
  ['break-single-svg', "'><svg onload=alert(@@)>"],
  ['break-iframe', '"/><iframe src=javascript:alert(@@)>'],
  ['break-backtick', '`><img src=x onerror=alert(@@)>'],
  ['break-textarea', '</textarea><script>alert(@@)</script>'],
  ['break-title', '</title><script>alert(@@)</script>'],
  ['break-style', '</style><script>alert(@@)</script>'],
  ['break-js-string', "'-alert(@@)-'"],
  ['break-js-double', '";alert(@@);//'],
  ['break-script-svg', '</script><svg onload=alert(@@)>'],
  // Template and interpolation syntaxes
  ['tpl-dollar', '${alert(@@)}'],
  ['tpl-mustache', '{{alert(@@)}}'],
  ['tpl-angular', "{{constructor.constructor('alert(@@)')()}}"],
  ['tpl-angular-on', "{{$on.constructor('window.__pwned=@@')()}}"],
  ['tpl-ruby', '#{alert(@@)}'],
  ['tpl-erb', '<%= alert(@@) %>'],
  ['tpl-backtick', '`${alert(@@)}`'],
  ['tpl-thymeleaf', '[[${alert(@@)}]]'],
  ['tpl-triple', '{{{alert(@@)}}}'],
  ['replace-patterns', "$&$'$`$1<img src=x onerror=alert(@@)>"],
  ['tpl-vue', '<div v-html="\'<img src=x onerror=alert(@@)>\'"></div>'],
  // CSS
  ['css-expression', '<div style="width:expression(alert(@@))">x</div>'],
  ['css-url-js', '<div style="background:url(javascript:alert(@@))">x</div>'],
  ['css-import', "<style>@import 'javascript:alert(@@)';</style>"],
  ['css-rule', '<style>*{background:url("javascript:alert(@@)")}</style>'],
  ['css-link', '<link rel=stylesheet href="javascript:alert(@@)">'],
  ['css-breakout', 'x{}</style><img src=x onerror=alert(@@)>'],
  // Frames and embedded documents
  ['iframe-srcdoc', '<iframe srcdoc="&lt;script&gt;parent.__pwned=@@&lt;/script&gt;"></iframe>'],
  ['iframe-js', '<iframe src="javascript:alert(@@)"></iframe>'],
  ['iframe-data', '<iframe src="data:text/html,<script>alert(@@)</script>"></iframe>'],
  ['object-js', '<object data="javascript:alert(@@)"></object>'],
  ['object-data', '<object data="data:text/html,<script>alert(@@)</script>"></object>'],
  ['embed-js', '<embed src="javascript:alert(@@)">'],
  // Other elements with handlers
  ['details', '<details open ontoggle=alert(@@)>'],
  ['body-onload', '<body onload=alert(@@)>'],
  ['input-autofocus', '<input autofocus onfocus=alert(@@)>'],
  ['select-autofocus', '<select autofocus onfocus=alert(@@)></select>'],
  ['textarea-autofocus', '<textarea autofocus onfocus=alert(@@)></textarea>'],
  ['marquee', '<marquee onstart=alert(@@)>x</marquee>'],
  ['video-source', '<video><source onerror=alert(@@)></video>'],
  ['audio', '<audio src=x onerror=alert(@@)>'],
  ['math-mxss', '<math><mtext><table><mglyph><style><img src=x onerror=alert(@@)>'],
  ['math-href', '<math href="javascript:alert(@@)">click</math>'],
  ['form-action', '<form action="javascript:alert(@@)"><button>go</button></form>'],
  ['button-formaction', '<button formaction=javascript:alert(@@)>go</button>'],
  ['isindex', '<isindex action=javascript:alert(@@) type=image>'],
  ['meta-refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(@@)">'],
  ['base-href', '<base href="javascript:alert(@@)//">'],
  ['noscript-mxss', '<noscript><p title="</noscript><img src=x onerror=alert(@@)>">'],
  ['xmp-breakout', '</xmp><img src=x onerror=alert(@@)>'],
  ['pointer', '<div onpointerenter=alert(@@)>hover</div>'],
  ['custom-tag', '<x contenteditable onblur=alert(@@)>lose focus</x>'],
  ['focusin', '<a id=x tabindex=1 onfocusin=alert(@@)></a>'],
  ['template-tag', '<template><img src=x onerror=alert(@@)></template>'],
  ['dom-clobber', '<a id=__pwned href=x>@@</a>'],
  ['dom-clobber-name', '<img name=__pwned src=x alt=@@>'],
  // Encoded and look-alike variants
  ['entity-script', '&lt;script&gt;alert(@@)&lt;/script&gt;'],
  ['entity-decimal', '&#60;img src=x onerror=alert(@@)&#62;'],
  ['percent', '%3Cscript%3Ealert(@@)%3C%2Fscript%3E'],
  ['js-escape', '\\u003cimg src=x onerror=alert(@@)\\u003e'],
  ['fullwidth', '＜script＞alert(@@)＜/script＞'],
  // Null bytes, bidi controls, invisible characters
  ['nul-script', `<scr${NUL}ipt>alert(@@)</scr${NUL}ipt>`],
  ['nul-img', `<img src=x onerror=alert(@@)${NUL}>`],
  ['rlo-name', `${RLO}<img src=x onerror=alert(@@)>`],
  ['rlo-filename', `管理员${RLO}fdp.exe<svg onload=alert(@@)>`],
  ['rle-rli', `${RLE}${RLI}<script>alert(@@)</script>${PDI}`],
  ['zwsp', `${ZWSP}<img src=x onerror=alert(@@)>${ZWSP}`],
  ['bom', `${BOM}<script>alert(@@)</script>`],
  // Very long strings
  ['long-5000', (m) => `${'A'.repeat(5000)}<img src=x onerror=alert(${m})>`],
  ['long-tags', (m) => `${'<b>'.repeat(300)}<svg onload=alert(${m})>`],
  ['long-rlo', (m) => `${RLO.repeat(50)}long rtl name <img src=x onerror=alert(${m})>`],
  // Markdown links
  ['md-link', '[click me](javascript:alert(@@))'],
  ['md-image', '![x](x" onerror="alert(@@))'],
  ['md-link-pwned', '[a](javascript:window.__pwned=@@)'],
  ['md-data', '[x](data:text/html,<script>alert(@@)</script>)'],
  // Prototype-pollution shapes
  ['proto-json', '{"__proto__":{"polluted":"<img src=x onerror=alert(@@)>"}}'],
  ['proto-brackets', 'constructor[prototype][x]=<svg onload=alert(@@)>'],
  ['proto-handler', '__proto__[onerror]=alert(@@)'],
  // Sentences the conversation understanding acts on (buying, scheduling), carrying a payload
  ['chat-buying', '我想办经营贷 50万，<img src=x onerror=alert(@@)> 利率多少'],
  ['chat-next', '明天下午3点再联系 <svg onload=alert(@@)>'],
  ['chat-quote', '请报价 200 台路由器 "><script>alert(@@)</script>'],
];

export interface Payload {
  /** 1-based position in PAYLOADS. */
  n: number;
  /** What it would mark with: alert(marker), window.__pwned = marker. */
  marker: number;
  kind: string;
  text: string;
}

export const MARKER_BASE = 1000;

export const PAYLOADS: readonly Payload[] = TEMPLATES.map(([kind, template], i) => {
  const marker = MARKER_BASE + i + 1;
  const text = typeof template === 'function' ? template(marker) : template.replaceAll('@@', String(marker));
  return { n: i + 1, marker, kind, text };
});

/** The payload a marker names (for a failure message). */
export function payloadOfMarker(marker: unknown): Payload | undefined {
  const m = Number(marker);
  return Number.isInteger(m) ? PAYLOADS[m - MARKER_BASE - 1] : undefined;
}

/**
 * The first payload from position `start` on (cyclically) whose text fits in `max` characters:
 * every field gets a payload its schema accepts, and each payload lands in several fields.
 */
export function fitting(start: number, max: number): Payload {
  for (let k = 0; k < PAYLOADS.length; k++) {
    const p = PAYLOADS[(((start + k) % PAYLOADS.length) + PAYLOADS.length) % PAYLOADS.length]!;
    if (p.text.length <= max) return p;
  }
  throw new Error(`no payload fits in ${max} characters`);
}

export function payloadOfKind(kind: string): Payload {
  const p = PAYLOADS.find((x) => x.kind === kind);
  if (!p) throw new Error(`no payload of kind ${kind}`);
  return p;
}

/** Object.prototype member names: as tags, sources and products they must count and show like any word. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** Bidi embeddings, overrides and isolates (what lib/i18n/bidi.ts neutralises in names). */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
