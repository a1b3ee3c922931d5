import type { AgentId } from '../schemas/games.js';
import { OTHELLO_TROOP } from '../games/othello/troop.js';
import type { GameParams } from './registry.js';

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
   * Search parameters per game (the type comes from the AI registry, so a new game
   * without parameters here fails typecheck). Tic-tac-toe: maxDepth 9 is perfect play;
   * temperature in "tempo" units (win = 10 - plies).
   */
  games: GameParams;
  /** Natural thinking pause the server waits before showing the move. */
  delayMs: { min: number; max: number };
}

/**
 * Per-game parameters that live in their game's folder (one table per game, a row per
 * monkey) instead of in the records below: a game listed here needs no edit per monkey.
 */
const FROM_GAME_FOLDERS = { othello: OTHELLO_TROOP } as const;
type FolderGames = keyof typeof FROM_GAME_FOLDERS;

const p = (
  profile: AgentProfile,
  voice: Voice,
  games: Omit<GameParams, FolderGames>,
  delayMs: { min: number; max: number },
): Personality => ({ profile, voice, games: { ...games, othello: FROM_GAME_FOLDERS.othello[profile.id] }, delayMs });

/**
 * The Monkeytown troop. Personalities are parameters over the same real search
 * (perfect minimax for tic-tac-toe, alpha-beta with a transposition table for connect four).
 */
export const PERSONALITIES: Readonly<Record<AgentId, Personality>> = {
  championchimp: p(
    { id: 'championchimp', name: 'ChampionChimp', emoji: '🏆', style: 'perfectionist', strength: 10,
      description: 'The strongest of the troop: perfect at tic-tac-toe, searches deepest at connect four and never gives a win away.' },
    'champion',
    {
      tictactoe: { maxDepth: 9, nodeBudget: Infinity, temperature: 0, blunderRate: 0 },
      connect4: { maxDepth: 42, nodeBudget: 150_000, temperature: 0, blunderRate: 0, attack: 1, defence: 1, trickiness: 0 },
      chess: { maxDepth: 64, nodeBudget: 40_000, temperature: 0, blunderRate: 0, mobility: 4, kingSafety: 1, sharpness: 0, quietness: 0 },
    },
    { min: 450, max: 900 },
  ),
  strategistape: p(
    { id: 'strategistape', name: 'StrategistApe', emoji: '🧩', style: 'positional', strength: 8,
      description: 'Plans ahead and builds slow pressure in the centre; rarely makes a mistake.' },
    'strategist',
    {
      tictactoe: { maxDepth: 9, nodeBudget: Infinity, temperature: 0.3, blunderRate: 0.02 },
      connect4: { maxDepth: 12, nodeBudget: 60_000, temperature: 4, blunderRate: 0, attack: 1, defence: 1, trickiness: 0 },
      chess: { maxDepth: 64, nodeBudget: 14_000, temperature: 5, blunderRate: 0, mobility: 4, kingSafety: 1, sharpness: 0, quietness: 0 },
    },
    { min: 400, max: 850 },
  ),
  trickstermonkey: p(
    { id: 'trickstermonkey', name: 'TricksterMonkey', emoji: '🎭', style: 'tricky', strength: 7,
      description: 'Loves traps: prefers moves that set up threats and double threats, even at a small cost.' },
    'trickster',
    {
      tictactoe: { maxDepth: 4, nodeBudget: Infinity, temperature: 0.8, blunderRate: 0.05 },
      connect4: { maxDepth: 7, nodeBudget: 20_000, temperature: 10, blunderRate: 0.02, attack: 1.4, defence: 0.7, trickiness: 40 },
      chess: { maxDepth: 64, nodeBudget: 6_000, temperature: 10, blunderRate: 0, mobility: 3, kingSafety: 0.8, sharpness: 15, quietness: 0 },
    },
    { min: 300, max: 800 },
  ),
  guardiangorilla: p(
    { id: 'guardiangorilla', name: 'GuardianGorilla', emoji: '🛡️', style: 'defensive', strength: 6,
      description: 'Blocks first and asks questions later: shuts down your lines before building its own.' },
    'guardian',
    {
      tictactoe: { maxDepth: 4, nodeBudget: Infinity, temperature: 0.5, blunderRate: 0.04 },
      connect4: { maxDepth: 7, nodeBudget: 20_000, temperature: 8, blunderRate: 0.02, attack: 0.6, defence: 1.6, trickiness: 0 },
      chess: { maxDepth: 64, nodeBudget: 3_000, temperature: 12, blunderRate: 0.01, mobility: 3, kingSafety: 1.5, sharpness: 0, quietness: 10 },
    },
    { min: 350, max: 800 },
  ),
  speedygibbon: p(
    { id: 'speedygibbon', name: 'SpeedyGibbon', emoji: '⚡', style: 'fast', strength: 4,
      description: 'Moves almost instantly with a shallow look ahead; quick, but misses deep ideas.' },
    'speedy',
    {
      tictactoe: { maxDepth: 2, nodeBudget: Infinity, temperature: 0.6, blunderRate: 0.08 },
      connect4: { maxDepth: 3, nodeBudget: 3_000, temperature: 12, blunderRate: 0.05, attack: 1, defence: 1, trickiness: 0 },
      chess: { maxDepth: 2, nodeBudget: 600, temperature: 30, blunderRate: 0.05, mobility: 2, kingSafety: 1, sharpness: 0, quietness: 0 },
    },
    { min: 150, max: 350 },
  ),
  wildcardlemur: p(
    { id: 'wildcardlemur', name: 'WildcardLemur', emoji: '🃏', style: 'chaotic', strength: 2,
      description: 'Plays on hunches: high randomness and the odd wild move. Anything can happen.' },
    'wild',
    {
      tictactoe: { maxDepth: 1, nodeBudget: Infinity, temperature: 3, blunderRate: 0.3 },
      connect4: { maxDepth: 1, nodeBudget: 500, temperature: 60, blunderRate: 0.3, attack: 1, defence: 1, trickiness: 0 },
      chess: { maxDepth: 1, nodeBudget: 200, temperature: 120, blunderRate: 0.3, mobility: 0, kingSafety: 0.5, sharpness: 30, quietness: 0 },
    },
    { min: 200, max: 700 },
  ),
  mentororangutan: p(
    { id: 'mentororangutan', name: 'MentorOrangutan', emoji: '📚', style: 'teacher', strength: 5,
      description: 'A gentle teacher: explains every move as a lesson and plays below full strength.' },
    'mentor',
    {
      tictactoe: { maxDepth: 3, nodeBudget: Infinity, temperature: 0.8, blunderRate: 0.1 },
      connect4: { maxDepth: 5, nodeBudget: 8_000, temperature: 15, blunderRate: 0.06, attack: 1, defence: 1.1, trickiness: 0 },
      chess: { maxDepth: 3, nodeBudget: 1_500, temperature: 20, blunderRate: 0.03, mobility: 3, kingSafety: 1.2, sharpness: 0, quietness: 0 },
    },
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
