import { createMemoryBus } from '../../src/bus/index.js';
import { protocolSuite } from './protocol.js';

protocolSuite('memory', (o) => createMemoryBus(o));
