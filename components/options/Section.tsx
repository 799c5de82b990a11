// One titled block of the options page; the id is the left nav's anchor.
import type { ComponentChildren } from 'preact';

export function Section({ id, title, desc, children }: { id: string; title: string; desc?: string; children: ComponentChildren }) {
  return (
    <section class="lzo-section" id={`lzo-${id}`} aria-labelledby={`lzo-${id}-h`}>
      <header class="lzo-section-head">
        <h2 id={`lzo-${id}-h`}>{title}</h2>
        {desc && <p class="lzo-desc">{desc}</p>}
      </header>
      <div class="lzo-section-body">{children}</div>
    </section>
  );
}

export function FieldError({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <p class="lzo-field-error" role="alert">
      {error}
    </p>
  );
}
