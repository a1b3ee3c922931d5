// Tests build and check chess states synchronously with the shared engine: load what the
// engines load lazily (chess.js) once per test file, as a running server has by its first move.
import { loadEngines } from '@monkeytown/shared';

await loadEngines();
