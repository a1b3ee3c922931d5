// Tests use the engines synchronously, like a server after its first move: load what the
// engines load lazily (chess.js) once per test file. lazy-engines.test.ts checks the lazy
// contract itself on fresh modules.
import { loadEngines } from '../src/games/index.js';

await loadEngines();
