// Selectors queried from inside a row, rewritten so that the browser's cost follows the row and
// not the page. Chromium starts a query whose selector has a class or id left of a combinator
// ('.message-title .sender-title', '#main header h2') from that class's or id's elements, looked
// for in the whole page, even when asked from one row: in the bench, 17-22 µs per call from a
// 12-element row of a 3,000-row page, 0.1-0.5 µs at 100 rows. The same compound inside :is()
// matches the same elements and is not used that way (0.2-0.5 µs at 3,000 rows).

const CACHE = new Map<string, string>();

/**
 * `css` with every compound left of a combinator that names a class or an id wrapped in
 * `:is(…)`: the same elements, found by walking the queried element's subtree. Selectors that
 * pierce shadow roots (' >>> ') are left alone: the runtime rewrites each part on its own.
 */
export function scoped(css: string): string {
  let out = CACHE.get(css);
  if (out === undefined) CACHE.set(css, (out = css.includes('>>>') ? css : rewrite(css)));
  return out;
}

function rewrite(css: string): string {
  const parts: string[] = [];
  let compound = '';
  /** compounds of the current complex selector and the combinators between them */
  let pending: string[] = [];
  let depth = 0;
  let quote = '';
  const flushCompound = (last: boolean) => {
    const c = compound;
    compound = '';
    if (!c) return;
    pending.push(last ? c : wrap(c));
  };
  const endSelector = () => {
    flushCompound(true);
    parts.push(pending.join(''));
    pending = [];
  };
  for (let i = 0; i < css.length; i++) {
    const ch = css[i]!;
    if (quote) {
      compound += ch;
      if (ch === '\\') compound += css[++i] ?? '';
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '\\') {
      compound += ch + (css[++i] ?? '');
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (depth === 0 && ch === ',') {
      endSelector();
      parts.push(',');
      continue;
    } else if (depth === 0 && (ch === ' ' || ch === '\t' || ch === '\n' || ch === '>' || ch === '+' || ch === '~')) {
      // A combinator: the compound before it is an ancestor's or a sibling's.
      let comb = ch;
      while (i + 1 < css.length && /[\s>+~]/.test(css[i + 1]!)) comb += css[++i];
      if (compound) flushCompound(false);
      pending.push(comb);
      continue;
    }
    compound += ch;
  }
  endSelector();
  return parts.join('');
}

/** A compound naming a class or an id (outside brackets, parentheses and quotes) goes in :is(). */
function wrap(compound: string): string {
  if (compound.includes(':scope') || compound.includes('::') || !namesClassOrId(compound)) return compound;
  return `:is(${compound})`;
}

function namesClassOrId(compound: string): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < compound.length; i++) {
    const ch = compound[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '\\') i++;
    else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (depth === 0 && (ch === '.' || ch === '#')) return true;
  }
  return false;
}
