// A customer's or contact's name as shown anywhere: bidi controls neutralised and the name
// isolated from its neighbours (lib/i18n/bidi.ts says why).
import type { HTMLAttributes } from 'preact';
import { neutraliseBidi } from '../../lib/i18n/bidi';

export function Name({ value, class: cls, ...rest }: { value: string; class?: string } & Omit<HTMLAttributes<HTMLElement>, 'value' | 'class'>) {
  return (
    <bdi class={cls} {...rest}>
      {neutraliseBidi(value)}
    </bdi>
  );
}
