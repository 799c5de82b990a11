// Validation of user-defined sites (options page and background; never the content script).
// Version 2 is what is saved; a version-1 definition (stored before, or an old export) is read
// and upgraded (definition.ts upgradeV1). Messages are in Chinese and English, one string.
import { z } from 'zod';
import { parsePattern, upgradeV1, type CustomSiteDef, type CustomSiteDefV1 } from './definition';
import { regexProblem, timeFormatProblem } from './values';
import { lazySchema } from '../model/lazy-schema';

const both = (p: { zh: string; en: string }) => `${p.zh} / ${p.en}`;

/** Selector syntax is checked where there is a DOM to ask (the options page); the background
 *  has none and the reader survives a bad selector anyway. */
function selectorProblem(css: string): string | null {
  const doc = (globalThis as { document?: Document }).document;
  if (!css || typeof doc?.createDocumentFragment !== 'function') return null;
  for (const part of css.split(/\s+>>>\s+/)) {
    try {
      doc.createDocumentFragment().querySelector(part);
    } catch {
      return both({ zh: `CSS 选择器写法有误：${css.slice(0, 80)}`, en: `invalid CSS selector: ${css.slice(0, 80)}` });
    }
  }
  return null;
}

const css = (required: boolean) =>
  z
    .string()
    .trim()
    .max(500, both({ zh: '选择器太长（最多 500 个字符）', en: 'selector too long (at most 500 characters)' }))
    .refine((s) => !required || s.length > 0, both({ zh: '请填写 CSS 选择器', en: 'a CSS selector is required' }))
    .superRefine((s, ctx) => {
      const p = selectorProblem(s);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    });

const PATTERN_HINT = both({
  zh: '网址规则只能对应一个网站，例如 https://chat.example.com/* 或 http://127.0.0.1:*/console/*',
  en: 'the URL pattern must name one site, e.g. https://chat.example.com/* or http://127.0.0.1:*/console/*',
});

/**
 * The two versions' schemas, built on first use: the service worker imports this module on every
 * start (the custom-site cache, the protocol), and zod builds each of these ~200 schema objects
 * when declared, a cost of every wake even for a user with no custom site.
 */
function buildVersionSchemas() {
  const attrName = z
    .string()
    .trim()
    .regex(/^[A-Za-z_][\w.:-]{0,63}$/, both({ zh: '属性名无效（如 data-conv-id、datetime）', en: 'invalid attribute name (e.g. data-conv-id, datetime)' }));

  const regex = z.string().superRefine((re, ctx) => {
    const p = regexProblem(re);
    if (p) ctx.addIssue({ code: 'custom', message: both(p) });
  });

  /** `rowRelative`: a row field, whose css may be '' (the row itself). */
  const field = (rowRelative: boolean) =>
    z
      .object({ css: css(!rowRelative), attr: attrName.optional(), re: regex.optional() })
      .refine((f) => f.css || f.attr, both({ zh: '请填写选择器或属性', en: 'a selector or an attribute is required' }));

  const timeField = z.object({
    css: css(false),
    attr: attrName.optional(),
    re: regex.optional(),
    format: z
      .string()
      .trim()
      .superRefine((f, ctx) => {
        const p = timeFormatProblem(f);
        if (p) ctx.addIssue({ code: 'custom', message: both(p) });
      })
      .optional(),
  });

  const direction = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('outgoingIf'), css: css(true) }),
    z.object({ kind: z.literal('incomingIf'), css: css(true) }),
    z.object({ kind: z.literal('outgoingAttr'), attr: attrName, equals: z.string().trim().min(1, both({ zh: '请填写属性值', en: 'the attribute value is required' })).max(200) }),
  ]);

  const common = {
    id: z.string().regex(/^[a-z0-9-]{1,30}$/, both({ zh: '编号只能是 1–30 个小写字母、数字或 -', en: 'the id is 1–30 lower-case letters, digits or -' })),
    name: z.string().trim().min(1, both({ zh: '请填写名称', en: 'a name is required' })).max(100),
    // One host, scheme http(s) or *: never <all_urls> or every host, so the permission asked is one site's.
    pattern: z.string().trim().max(500).refine((p) => parsePattern(p) !== null, PATTERN_HINT),
  };

  const v2Schema = z.object({
    version: z.literal(2),
    ...common,
    fields: z.object({
      title: field(false),
      threadKey: field(false).optional(),
      messageList: z.object({ css: css(true) }).optional(),
      messageRow: z.object({ css: css(true) }),
      messageId: field(true).optional(),
      text: field(true).optional(),
      time: timeField.optional(),
      sender: field(true).optional(),
      phone: field(false).optional(),
      wechat: field(false).optional(),
      email: field(false).optional(),
      groupMarker: z.object({ css: css(true) }).optional(),
    }),
    direction: direction.optional(),
  });

  const v1Schema = z.object({
    ...common,
    selectors: z.object({
      title: css(true),
      messageList: css(false).optional(),
      messageRow: css(true),
      outgoing: css(false).optional(),
      text: css(false).optional(),
      time: css(false).optional(),
      contact: css(false).optional(),
    }),
  });
  return { v1Schema, v2Schema };
}

let versionSchemas: ReturnType<typeof buildVersionSchemas> | undefined;

/** A definition of either version, read as version 2. Which version decides the messages: an
 *  object without `version` but with `selectors` is a version-1 definition. */
export const customSiteSchema: z.ZodType<CustomSiteDef, unknown> = lazySchema(() => z.unknown().transform((input, ctx): CustomSiteDef => {
  const isV1 = typeof input === 'object' && input !== null && !('version' in input) && 'selectors' in input;
  const { v1Schema, v2Schema } = (versionSchemas ??= buildVersionSchemas());
  const parsed = isV1 ? v1Schema.safeParse(input) : v2Schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[] });
    return z.NEVER;
  }
  if (isV1) return upgradeV1(parsed.data as CustomSiteDefV1);
  return parsed.data as CustomSiteDef;
}));

export const customSitesSchema = lazySchema(() => z.array(customSiteSchema).max(50));

/** Each problem as "where: what" (for the options form), empty when the definition is valid. */
export function siteProblems(input: unknown): string[] {
  const r = customSiteSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
}
