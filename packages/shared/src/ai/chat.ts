// The troop answers chat: one short line in character, chosen from canned lines by what
// was said and how the game stands (a greeting, thanks, a question, the player's good move,
// the end of the game). Deterministic for a seed; never an external service.
import type { AgentId } from '../schemas/game-basics.js';
import { PERSONALITIES, type Voice } from './profiles.js';
import { deriveSeed, mulberry32 } from './rng.js';

export type ChatMood = 'greeting' | 'thanks' | 'question' | 'good-move' | 'won' | 'lost' | 'draw' | 'banter';

export interface ChatSituation {
  /** What the person said. */
  text: string;
  /** The game's result from the agent's side; null while it is open or being played. */
  result: 'won' | 'lost' | 'draw' | null;
  /** The agent's last move reason, if it has moved ("blocks your three …"). */
  lastReason: string | null;
}

const GREETING = /^\s*(hi|hello|hey|hiya|hola|yo|howdy|good (luck|morning|afternoon|evening)|gl|have fun)\b/i;
const THANKS = /\b(gg|good game|thanks|thank you|thx|ty|well played|wp|nice game)\b/i;
/** Reasons that say the player made the agent work: a block, a forced reply, a worse outlook. */
const PRESSED = /\bblocks\b|holds out|only one move|worse|you have me|out of tricks|fallen/;

export function chatMood(s: ChatSituation): ChatMood {
  if (s.result) return s.result;
  if (GREETING.test(s.text)) return 'greeting';
  if (THANKS.test(s.text)) return 'thanks';
  if (s.text.trim().endsWith('?')) return 'question';
  if (s.lastReason && PRESSED.test(s.lastReason)) return 'good-move';
  return 'banter';
}

const LINES: Record<Voice, Record<ChatMood, string[]>> = {
  champion: {
    greeting: ['Hello. May the best primate win. (It will be me.)', 'Greetings, challenger.'],
    thanks: ['Likewise. Now, concentrate.'],
    question: ['I only answer with moves.', 'Ask me again after the game.'],
    'good-move': ['A good move. I noticed.', 'You are making me think. Rare.'],
    won: ['Good game. I did calculate that.', 'Well fought. Again?'],
    lost: ['Well played. I will study this game.', 'You beat me fair and square. Impressive.'],
    draw: ['A draw. Perfect play on both sides.'],
    banter: ['Hmm.', 'I am calculating.'],
  },
  strategist: {
    greeting: ['Hello! Let us build something interesting.', 'Hi. I have a plan already.'],
    thanks: ['Thank you. Good structure so far.'],
    question: ['Think about the centre; that is all I will say.'],
    'good-move': ['Nice: that disrupted my plan.', 'Good move. Back to the drawing board.'],
    won: ['Good game! The plan worked this time.'],
    lost: ['Well played: your plan was better.', 'You out-planned me. Good game.'],
    draw: ['Balanced to the end. Good game.'],
    banter: ['Patience wins games.', 'Every move has a purpose.'],
  },
  trickster: {
    greeting: ['Hee hee, hello! Watch your step.', 'Hi there! Nothing up my sleeve...'],
    thanks: ['Aww. Still setting traps, though.'],
    question: ['Wouldn’t you like to know!'],
    'good-move': ['Hey! You spotted my trap.', 'Sneaky! I like it.'],
    won: ['Gotcha! Good game.', 'The trap worked, hee hee. GG!'],
    lost: ['Outfoxed by you! Well played.', 'You saw through all my tricks. GG.'],
    draw: ['A draw? My tricks cancelled out.'],
    banter: ['Hee hee.', 'Is that a trap? Maybe.'],
  },
  guardian: {
    greeting: ['Hello. My wall is ready.', 'Greetings. I will be defending.'],
    thanks: ['Thank you. Stay safe out there.'],
    question: ['Defence first, then questions.'],
    'good-move': ['Strong move. I had to block.', 'You tested my wall. Good one.'],
    won: ['The wall held. Good game.'],
    lost: ['You broke through. Well played.'],
    draw: ['Nobody got through. A fair draw.'],
    banter: ['Holding the line.', 'Steady.'],
  },
  speedy: {
    greeting: ['Hi! Let’s go go go!', 'Hey! Ready? I am!'],
    thanks: ['Thanks! Zoom!'],
    question: ['No time to think, only time to move!'],
    'good-move': ['Whoa, nice move!', 'Too quick for me that time!'],
    won: ['Zoom! GG!', 'Fast AND lucky. GG!'],
    lost: ['You got me! Rematch? Quick!', 'Too fast for my own good. GG!'],
    draw: ['Draw! Again, faster!'],
    banter: ['Zoom!', 'Next!'],
  },
  wild: {
    greeting: ['Hello! I have no idea what I am doing.', 'Hi! Let chaos begin.'],
    thanks: ['Thanks! I think?'],
    question: ['Maybe! Or not. Who knows?'],
    'good-move': ['Ooh, you actually meant that one.', 'Nice! Mine was random.'],
    won: ['I won?! Chaos works!'],
    lost: ['Chaos giveth, chaos taketh. GG!'],
    draw: ['A draw! How orderly.'],
    banter: ['Wheee!', 'Random thoughts incoming.'],
  },
  mentor: {
    greeting: ['Hello, friend. Ask for a hint whenever you like.', 'Welcome! Take your time.'],
    thanks: ['You are welcome. Keep looking for threats.'],
    question: ['Good question. Try the hint button: I will explain.'],
    'good-move': ['Well spotted! That is exactly the idea.', 'Excellent move. You are learning fast.'],
    won: ['Good game. Replay it and look for the turning point.'],
    lost: ['Well played! The student beats the teacher.'],
    draw: ['A draw with correct play. Well done.'],
    banter: ['Remember: look for threats first.'],
  },
  plain: {
    greeting: ['Hello!'],
    thanks: ['Thanks!'],
    question: ['Good question.'],
    'good-move': ['Nice move.'],
    won: ['Good game.'],
    lost: ['Well played.'],
    draw: ['A draw. Good game.'],
    banter: ['...'],
  },
};

/** An agent's reply to a chat line, in its voice; `seed` picks among the lines. */
export function agentChatReply(agentId: AgentId, situation: ChatSituation, seed: number): string {
  const voice = PERSONALITIES[agentId].voice;
  const lines = LINES[voice][chatMood(situation)];
  return lines[Math.floor(mulberry32(deriveSeed(seed, agentId, 'chat'))() * lines.length)]!;
}
