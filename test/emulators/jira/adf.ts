// A minimal, strict check of Atlassian Document Format as Jira Cloud takes it in v3 bodies
// (description, comment body). Node types, their places and attributes follow
// developer.atlassian.com/cloud/jira/platform/apis/document/structure and the node pages under
// .../document/nodes (read 2026-12-06): doc {version 1, content: block nodes}; paragraph,
// heading (attrs.level 1–6), blockquote, bulletList/orderedList → listItem, codeBlock, rule;
// inline text (non-empty text, marks), hardBreak, mention, emoji. Anything else — an unknown node
// or mark, an empty text node, a node where its parent does not allow it, a key a node does not
// have — is invalid: the emulator answers as Jira does, a 400 naming the field.

const MARKS = new Set(['strong', 'em', 'code', 'strike', 'underline', 'link', 'subsup', 'textColor']);
const INLINE = new Set(['text', 'hardBreak', 'mention', 'emoji']);
const TOP = new Set(['paragraph', 'heading', 'blockquote', 'bulletList', 'orderedList', 'codeBlock', 'rule']);
const IN_QUOTE = new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock']);
const IN_ITEM = new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock']);
const KEYS = new Set(['type', 'content', 'attrs', 'marks', 'text']);

type Node = Record<string, unknown>;
const isObj = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first problem with `doc` as ADF, or undefined when it is valid. */
export function adfProblem(doc: unknown): string | undefined {
  if (!isObj(doc)) return 'not an object';
  if (doc.type !== 'doc') return 'root type must be "doc"';
  if (doc.version !== 1) return 'version must be 1';
  for (const k of Object.keys(doc)) if (!['type', 'version', 'content'].includes(k)) return `doc has no "${k}"`;
  if (!Array.isArray(doc.content)) return 'doc.content must be an array';
  return children(doc.content, TOP, 'doc');
}

function children(list: unknown, allowed: Set<string>, parent: string, nonEmpty = false): string | undefined {
  if (!Array.isArray(list)) return `${parent}.content must be an array`;
  if (nonEmpty && !list.length) return `${parent}.content must not be empty`;
  for (const [i, n] of list.entries()) {
    if (!isObj(n) || typeof n.type !== 'string') return `${parent}.content[${i}] is not a node`;
    if (!allowed.has(n.type)) return `${parent}.content[${i}]: "${n.type}" is not allowed in ${parent}`;
    const p = node(n, `${parent}.content[${i}]`);
    if (p) return p;
  }
  return undefined;
}

function node(n: Node, at: string): string | undefined {
  for (const k of Object.keys(n)) if (!KEYS.has(k)) return `${at} (${String(n.type)}) has no "${k}"`;
  const attrs = n.attrs as Node | undefined;
  switch (n.type) {
    case 'paragraph':
      return n.content === undefined ? undefined : children(n.content, INLINE, at);
    case 'heading': {
      const level = attrs?.level;
      if (!Number.isInteger(level) || (level as number) < 1 || (level as number) > 6) return `${at}: heading needs attrs.level 1-6`;
      return n.content === undefined ? undefined : children(n.content, INLINE, at);
    }
    case 'blockquote':
      return children(n.content, IN_QUOTE, at, true);
    case 'bulletList':
    case 'orderedList':
      return children(n.content, new Set(['listItem']), at, true);
    case 'listItem':
      return children(n.content, IN_ITEM, at, true);
    case 'codeBlock':
      return n.content === undefined ? undefined : children(n.content, new Set(['text']), at);
    case 'rule':
    case 'hardBreak':
      return n.content === undefined ? undefined : `${at}: ${n.type} has no content`;
    case 'mention':
      return typeof attrs?.id === 'string' ? undefined : `${at}: mention needs attrs.id`;
    case 'emoji':
      return typeof attrs?.shortName === 'string' ? undefined : `${at}: emoji needs attrs.shortName`;
    case 'text': {
      if (typeof n.text !== 'string' || !n.text.length) return `${at}: text must be a non-empty string`;
      if (n.marks === undefined) return undefined;
      if (!Array.isArray(n.marks)) return `${at}: marks must be an array`;
      for (const m of n.marks) {
        if (!isObj(m) || typeof m.type !== 'string' || !MARKS.has(m.type)) return `${at}: unknown mark ${JSON.stringify(isObj(m) ? m.type : m)}`;
        if (m.type === 'link' && typeof (m.attrs as Node | undefined)?.href !== 'string') return `${at}: link mark needs attrs.href`;
      }
      return undefined;
    }
    default:
      return `${at}: unknown node type "${String(n.type)}"`;
  }
}

/** Plain text of a document (the emulator's search over summaries and comments). */
export function adfText(n: unknown): string {
  if (!isObj(n)) return '';
  if (n.type === 'text' && typeof n.text === 'string') return n.text;
  if (n.type === 'hardBreak') return '\n';
  return Array.isArray(n.content) ? n.content.map(adfText).join(n.type === 'doc' ? '\n' : '') : '';
}
