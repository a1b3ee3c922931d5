// One stack and one Chromium per browser-test suite: started before its tests, stopped
// (by pid, in the harness) after them. Call inside the suite's describe().
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { startBrowserStack, type BrowserStack } from './stack.js';

export interface BrowserSuite {
  readonly stack: BrowserStack;
  readonly browser: Browser;
}

export function useBrowserStack(databaseUrl: string, opts: { env?: Record<string, string> } = {}): BrowserSuite {
  let stack: BrowserStack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startBrowserStack(databaseUrl, opts);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  return {
    get stack() {
      if (!stack) throw new Error('the stack starts in beforeAll');
      return stack;
    },
    get browser() {
      if (!browser) throw new Error('the browser starts in beforeAll');
      return browser;
    },
  };
}
