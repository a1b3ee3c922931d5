import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { connection } from 'next/server';
import { ScrollToTop } from '../src/components/ScrollToTop';
import { SiteHeader } from '../src/components/SiteHeader';
import { eventStreamPublicUrl } from '../src/lib/config';
import { LiveFeedProvider } from '../src/lib/live-provider';
import { RuntimeConfigProvider } from '../src/lib/runtime-config';
import { SessionProvider } from '../src/lib/session';
import './globals.css';
import './live-games.css';
import './game-page.css';

export const metadata: Metadata = {
  title: { default: 'Monkeytown', template: '%s · Monkeytown' },
  description: 'Play tic-tac-toe and connect four live against people and a troop of AI monkeys.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#1f4d2b',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Render per request: EVENT_STREAM_PUBLIC_URL is read now, not frozen at build time.
  await connection();
  const runtime = { eventStreamUrl: eventStreamPublicUrl() };
  return (
    <html lang="en">
      <head>
        {/* No frame before the page's main content is parsed whole (the footer's start tag is
            past it). Under load the HTML parser yields between chunks of its work, and the
            browser may paint in between: a game page showed its board with a row of pieces,
            the rest missing (e2e/browser/game-page.test.ts, "first paint"). A render-blocking
            `expect` link holds the first paint until the element is parsed (Chromium 124+;
            other browsers ignore it); the HTML is sent whole, so the wait is parse time. */}
        <link rel="expect" href="#site-footer" blocking="render" />
      </head>
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <RuntimeConfigProvider value={runtime}>
          <SessionProvider>
            <LiveFeedProvider>
              <ScrollToTop />
              <SiteHeader />
              <main id="main">{children}</main>
              <footer className="site-footer" id="site-footer">
                <p>
                  Monkeytown · every move is stored, every game can be replayed · <a href="/api/docs">API</a>
                </p>
              </footer>
            </LiveFeedProvider>
          </SessionProvider>
        </RuntimeConfigProvider>
      </body>
    </html>
  );
}
