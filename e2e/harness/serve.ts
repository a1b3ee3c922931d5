// Start the browser-test stack by hand and keep it up until Ctrl-C (for looking at the
// site, or for running bench/web against it): `npx tsx e2e/harness/serve.ts`.
import { startBrowserStack } from './stack.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
if (!databaseUrl && !process.env.E2E_BASE_URL) {
  console.error('TEST_DATABASE_URL is required');
  process.exit(2);
}
const stack = await startBrowserStack(databaseUrl ?? '');
console.log(`[serve] ${stack.mode} stack: ${stack.baseUrl}`);
const stop = async () => {
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
