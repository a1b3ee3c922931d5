import { createMemoryBus } from '../../src/bus/index.js';
import { busContract } from './contract.js';

busContract('memory', { make: (o) => createMemoryBus(o), peer: (b) => b });
