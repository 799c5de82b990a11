// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { BIDI_MARKER, isolateText, neutraliseBidi } from '../../../lib/i18n/bidi';
import { Name } from '../../../components/shared/Name';

afterEach(cleanup);

const CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];

describe('neutraliseBidi', () => {
  it.each(CONTROLS.map((c) => [`U+${c.codePointAt(0)!.toString(16).toUpperCase()}`, c]))('replaces %s by a visible marker', (_label, c) => {
    expect(neutraliseBidi(`王${c}经理`)).toBe(`王${BIDI_MARKER}经理`);
  });

  it('leaves names without controls as they are, right-to-left scripts and marks included', () => {
    for (const name of ['张伟', 'Zoë O’Brien', 'محمد', 'שרה כהן', 'a\u200Fb', '']) expect(neutraliseBidi(name)).toBe(name);
  });

  it('neutralises the spoof of the issue (an override that reverses what follows)', () => {
    const spoof = 'Invoice\u202Efdp.exe';
    expect(neutraliseBidi(spoof)).toBe(`Invoice${BIDI_MARKER}fdp.exe`);
    expect(neutraliseBidi(spoof)).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it('isolateText wraps the neutralised name in FSI…PDI for plain-text places', () => {
    expect(isolateText('\u202Eabc')).toBe(`\u2068${BIDI_MARKER}abc\u2069`);
  });
});

describe('<Name>', () => {
  it('renders a <bdi> holding the neutralised text, as text (never markup)', () => {
    const { container } = render(<Name value={'<b>x</b>\u202E王'} class="lz-name" data-testid="n" />);
    const el = container.querySelector('bdi')!;
    expect(el.className).toBe('lz-name');
    expect(el.textContent).toBe(`<b>x</b>${BIDI_MARKER}王`);
    expect(el.querySelector('b')).toBeNull();
    expect(el.getAttribute('data-testid')).toBe('n');
  });
});
