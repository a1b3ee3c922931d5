import { abort } from './abort.js';
import { chat } from './chat.js';
import { claim } from './claim.js';
import { deadline } from './deadline.js';
import { move } from './move.js';
import { offers } from './offers.js';
import { resign } from './resign.js';
import { agentThinking } from './thinking.js';
import type { CommandDef, CommandKind, CommandOf } from './types.js';

/** Every command's rules, by kind: the pipeline (games/pipeline) runs them all the same way. */
export const COMMANDS = {
  move,
  resign,
  chat,
  abort,
  offers,
  claim,
  deadline,
  'agent.thinking': agentThinking,
} as const satisfies { [K in CommandKind]: { plan(row: never, c: CommandOf<K>, ctx: never): unknown } };

export const commandDef = <K extends CommandKind>(kind: K): CommandDef<CommandOf<K>, unknown, unknown> =>
  COMMANDS[kind] as unknown as CommandDef<CommandOf<K>, unknown, unknown>;

export type { Command, CommandKind, CommandOf, CommandPlan, Envelope, StandingLookup } from './types.js';
