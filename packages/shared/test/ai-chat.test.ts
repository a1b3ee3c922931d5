import { describe, expect, it } from 'vitest';
import { agentChatReply, chatMood } from '../src/ai/chat.js';
import { AGENT_IDS } from '../src/ai/index.js';

const at = (text: string, over: Partial<Parameters<typeof chatMood>[0]> = {}) => ({ text, result: null, lastReason: null, ...over });

describe('troop chat replies', () => {
  it('reads the context: greeting, thanks, question, a good move of yours, the result', () => {
    expect(chatMood(at('Hi there'))).toBe('greeting');
    expect(chatMood(at('good luck!'))).toBe('greeting');
    expect(chatMood(at('thanks, that was fun'))).toBe('thanks');
    expect(chatMood(at('why column 4?'))).toBe('question');
    expect(chatMood(at('take that', { lastReason: 'blocks your three in column 4' }))).toBe('good-move');
    expect(chatMood(at('take that', { lastReason: 'takes the centre' }))).toBe('banter');
    expect(chatMood(at('gg', { result: 'lost' }))).toBe('lost');
  });

  it('every monkey answers every context briefly, in its own words, the same for a seed', () => {
    for (const mood of ['hello', 'thanks', 'why?', 'ok'] as const) {
      const replies = AGENT_IDS.map((id) => agentChatReply(id, at(mood), 7));
      for (const r of replies) expect(r.length).toBeGreaterThan(1);
      for (const r of replies) expect(r.length).toBeLessThanOrEqual(80);
      expect(new Set(replies).size).toBe(AGENT_IDS.length);
    }
    expect(agentChatReply('mentororangutan', at('gg', { result: 'lost' }), 3)).toMatch(/student beats the teacher/);
    expect(agentChatReply('trickstermonkey', at('x'), 1)).toBe(agentChatReply('trickstermonkey', at('x'), 1));
  });
});
