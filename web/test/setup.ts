import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { loadEngines } from '@monkeytown/shared/games';

// Pages render a game once its engine is loaded (use-engine-ready.ts); the tests start
// with every engine loaded, engine-gate.test.tsx covers the wait itself.
await loadEngines();

afterEach(() => cleanup());
