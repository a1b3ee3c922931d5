import { rectifyConfusion } from 'unicode-confusables';
import { TROOP } from '@monkeytown/shared/ai';

const skeleton = (s: string) => rectifyConfusion(s.normalize('NFKD')).normalize('NFKD').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * What a name looks like, for comparing names rather than showing them: mapped through
 * the Unicode confusables table (UTS #39 skeleton: Cyrillic "а" → "a", "0" → "O", "rn" ~
 * "m", zero-width characters dropped), case-folded, stripped of everything but letters
 * and digits. Two names with one key look alike.
 */
export const nameKey = (name: string): string => skeleton(name.toLowerCase());

/**
 * A name's keys: folded before and after the skeleton, since case and look-alikes mix
 * both ways ("CHAMPION" only matches once folded; capital "I" looks like "l" only before).
 */
const nameKeys = (name: string): string[] => [...new Set([nameKey(name), skeleton(name)])];

/** Names no guest may take, nor a look-alike of: the troop (names and ids) and the house. */
const RESERVED = new Map<string, string>(
  [...TROOP.flatMap((a) => [a.name, a.id]), 'Monkeytown', 'Admin', 'Moderator', 'System'].flatMap((n) =>
    nameKeys(n).map((k) => [k, n] as const),
  ),
);

/** The reserved name `name` imitates, or null. */
export function reservedNameLike(name: string): string | null {
  for (const k of nameKeys(name)) {
    const hit = RESERVED.get(k);
    if (hit) return hit;
  }
  return null;
}

/** How long a name stays taken by a guest who chose it (later guests get a tag). */
export const NAME_RECENT_DAYS = 30;

/**
 * The display name for a guest whose chosen name is already shown for another recent
 * player: the name with a tag from the player's own id ("Ada #3F2A"), longer if even
 * that is taken.
 */
export function taggedName(name: string, playerId: string, length: number): string {
  return `${name} #${playerId.replace(/-/g, '').slice(0, length).toUpperCase()}`;
}
