import { describe, expect, it } from 'vitest';
import { PlayerName } from '../src/schemas/index.js';

describe('PlayerName', () => {
  it('refuses names that show nothing or hide characters (issue 15: \\u200B, \\u3164, \\u00AD were accepted)', () => {
    for (const n of ['\u200B', '\u3164', '\u00AD', ' \u3164 ', '\u115F\u1160', '\uFFA0', 'Bob\u200B', 'A\u2060B', '---', '🙈', '']) {
      expect(PlayerName.safeParse(n).success, JSON.stringify(n)).toBe(false);
    }
  });

  it('normalizes to NFC and trims; letters and digits of any script, emoji beside them', () => {
    expect(PlayerName.parse('  e\u0301mile ')).toBe('\u00e9mile');
    expect(PlayerName.parse('👩‍💻 Ada')).toBe('👩‍💻 Ada');
    expect(PlayerName.parse('❤️7')).toBe('❤️7');
    expect(PlayerName.parse('山田')).toBe('山田');
    expect(PlayerName.parse('Zoë-42')).toBe('Zoë-42');
  });
});
