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
              <footer className="site-footer">
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
