import { describe, expect, it } from 'vitest';
import { resolveStreamUrl } from '../src/lib/runtime-config';

const page = (href: string) => {
  const u = new URL(href);
  return { protocol: u.protocol, host: u.host, href };
};

describe('resolveStreamUrl', () => {
  it('defaults to same-origin /ws, wss under https', () => {
    expect(resolveStreamUrl(null, page('http://localhost:3000/games/x'))).toBe('ws://localhost:3000/ws');
    expect(resolveStreamUrl(null, page('https://monkeytown.example/'))).toBe('wss://monkeytown.example/ws');
  });
  it('uses an absolute EVENT_STREAM_PUBLIC_URL as given', () => {
    expect(resolveStreamUrl('ws://localhost:8080/ws', page('http://localhost:3000/'))).toBe('ws://localhost:8080/ws');
    expect(resolveStreamUrl('https://events.example/ws', page('http://localhost:3000/'))).toBe('wss://events.example/ws');
  });
  it('resolves a relative path against the page', () => {
    expect(resolveStreamUrl('/events/ws', page('https://m.example/x'))).toBe('wss://m.example/events/ws');
  });
  it('puts a port-only value (npm start) on the host the page came from', () => {
    expect(resolveStreamUrl(':8080/ws', page('http://localhost:3000/'))).toBe('ws://localhost:8080/ws');
    expect(resolveStreamUrl(':8180/ws', page('http://192.168.1.20:3000/games/x'))).toBe('ws://192.168.1.20:8180/ws');
  });
});
