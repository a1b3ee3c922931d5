import type { AgentId } from '../schemas/game-basics.js';
import { gameParamsOf, type GameParams } from './registry.js';

export type { SearchParams } from './types.js';

/** What the API shows about an agent (GET /api/agents). */
export interface AgentProfile {
  id: AgentId;
  name: string;
  emoji: string;
  /** One or two words: the playing style. */
  style: string;
  description: string;
  /** 1 (gentle) .. 10 (strongest); matches the measured ladder order. */
  strength: number;
}

export type Voice = 'plain' | 'mentor' | 'trickster' | 'guardian' | 'wild' | 'speedy' | 'champion' | 'strategist';

export interface Personality {
  profile: AgentProfile;
  voice: Voice;
  /**
   * Search parameters per game, from each game's own table (games/<type>/troop.ts, one
   * row per monkey, typed over AgentId: a game without a row for a monkey fails typecheck).
   */
  games: GameParams;
  /** Natural thinking pause the server waits before showing the move. */
  delayMs: { min: number; max: number };
}

const p = (profile: AgentProfile, voice: Voice, delayMs: { min: number; max: number }): Personality => ({
  profile,
  voice,
  games: gameParamsOf(profile.id),
  delayMs,
});

/**
 * The Monkeytown troop. Personalities are parameters over the same real search
 * (each game's AI, games/<type>/ai); their per-game parameters live with each game (troop.ts).
 */
export const PERSONALITIES: Readonly<Record<AgentId, Personality>> = {
  championchimp: p(
    { id: 'championchimp', name: 'ChampionChimp', emoji: '🏆', style: 'perfectionist', strength: 10,
      description: 'The strongest of the troop: perfect at tic-tac-toe, searches deepest at connect four and never gives a win away.' },
    'champion',
    { min: 450, max: 900 },
  ),
  strategistape: p(
    { id: 'strategistape', name: 'StrategistApe', emoji: '🧩', style: 'positional', strength: 8,
      description: 'Plans ahead and builds slow pressure in the centre; rarely makes a mistake.' },
    'strategist',
    { min: 400, max: 850 },
  ),
  trickstermonkey: p(
    { id: 'trickstermonkey', name: 'TricksterMonkey', emoji: '🎭', style: 'tricky', strength: 7,
      description: 'Loves traps: prefers moves that set up threats and double threats, even at a small cost.' },
    'trickster',
    { min: 300, max: 800 },
  ),
  guardiangorilla: p(
    { id: 'guardiangorilla', name: 'GuardianGorilla', emoji: '🛡️', style: 'defensive', strength: 6,
      description: 'Blocks first and asks questions later: shuts down your lines before building its own.' },
    'guardian',
    { min: 350, max: 800 },
  ),
  speedygibbon: p(
    { id: 'speedygibbon', name: 'SpeedyGibbon', emoji: '⚡', style: 'fast', strength: 4,
      description: 'Moves almost instantly with a shallow look ahead; quick, but misses deep ideas.' },
    'speedy',
    { min: 150, max: 350 },
  ),
  wildcardlemur: p(
    { id: 'wildcardlemur', name: 'WildcardLemur', emoji: '🃏', style: 'chaotic', strength: 2,
      description: 'Plays on hunches: high randomness and the odd wild move. Anything can happen.' },
    'wild',
    { min: 200, max: 700 },
  ),
  mentororangutan: p(
    { id: 'mentororangutan', name: 'MentorOrangutan', emoji: '📚', style: 'teacher', strength: 5,
      description: 'A gentle teacher: explains every move as a lesson and plays below full strength.' },
    'mentor',
    { min: 500, max: 900 },
  ),
};

/** The troop, in the order of the brief (and of the AgentId enum). */
export const TROOP: readonly AgentProfile[] = Object.values(PERSONALITIES).map((x) => x.profile);

export const AGENT_IDS = Object.keys(PERSONALITIES) as AgentId[];

export function isAgentId(id: string): id is AgentId {
  return Object.prototype.hasOwnProperty.call(PERSONALITIES, id);
}

export function personalityOf(agentId: AgentId): Personality {
  const found = PERSONALITIES[agentId];
  if (!found) throw new Error(`unknown agent "${agentId}"`);
  return found;
}
