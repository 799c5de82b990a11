// A translated sentence with elements in its slots: "在 {crm} 中找到：" with the connection's
// name as a <Name> (isolated, bidi-neutralised), never concatenated into the string. Slots the
// template does not name are ignored; a slot without a part stays as written.
import type { ComponentChild } from 'preact';
import { Fragment } from 'preact';

export function rich(template: string, parts: Record<string, ComponentChild>): ComponentChild[] {
  const out: ComponentChild[] = [];
  let last = 0;
  let i = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    const name = m[1]!;
    if (!(name in parts)) continue;
    if (m.index > last) out.push(template.slice(last, m.index));
    out.push(<Fragment key={`${name}-${i++}`}>{parts[name]}</Fragment>);
    last = m.index + m[0].length;
  }
  if (last < template.length) out.push(template.slice(last));
  return out;
}
