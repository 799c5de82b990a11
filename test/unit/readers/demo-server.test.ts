// The demo web chat server: serves the page and its assets, and nothing outside demo/public.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer } from '../../../demo/server.mjs';

let server: Awaited<ReturnType<typeof startDemoServer>>;

beforeAll(async () => {
  server = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await server.close();
});

describe('demo server', () => {
  it('listens on a free port when asked for port 0', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.url).not.toMatch(/:0\/$/);
  });

  it('serves the chat page', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('id="app"');
    expect(html).toContain('id="chat-list"');
    expect(html).toContain('id="conversation-host"');
    expect(html).toContain('src="/app.js"');
  });

  it('serves the script and the styles with their types', async () => {
    const js = await fetch(new URL('app.js', server.url));
    expect(js.headers.get('content-type')).toContain('text/javascript');
    const source = await js.text();
    expect(source).toContain('window.demoChat');
    // Data goes through textContent only.
    expect(source).not.toMatch(/\.innerHTML\s*=/);
    const css = await fetch(new URL('style.css', server.url));
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('answers 404 for unknown files and refuses paths outside public/', async () => {
    expect((await fetch(new URL('nope.js', server.url))).status).toBe(404);
    const escape = await fetch(new URL('%2e%2e/server.mjs', server.url));
    expect([400, 404]).toContain(escape.status);
    expect(await escape.text()).not.toContain('startDemoServer');
  });
});
