import { z } from 'zod';

export const Id = z.uuid();
export type Id = z.infer<typeof Id>;

/** ISO timestamps travel as strings. */
export const Timestamp = z.string();

// Control characters (C0/C1, except none) and bidi overrides are refused in
// human-entered text: they break layouts and spoof other players' names.
const FORBIDDEN_TEXT = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// Lone UTF-16 surrogates are not text (Postgres would store U+FFFD in their place).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Default-ignorable code points render as nothing (U+200B, U+00AD, the Hangul fillers
// U+3164/U+115F/U+FFA0, …): a name of them looks empty, and inside a name they make
// look-alikes. Only the joiner and variation selectors that emoji need are let through.
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu; // global: for replace() only
const HAS_DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const EMOJI_GLUE = /\u200d|[\ufe00-\ufe0f]/gu;
const VISIBLE_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * A display name: Unicode NFC, trimmed, 1..24 characters, printable, no invisible
 * characters, and at least one visible letter or digit. (Reserved names and look-alikes
 * of the troop are the server's check: they need the confusables table.)
 */
export const PlayerName = z
  .string()
  .normalize('NFC')
  .trim()
  .min(1, 'name must not be empty')
  .max(24, 'name must be at most 24 characters')
  .refine((s) => !FORBIDDEN_TEXT.test(s), 'name contains control characters')
  .refine((s) => !LONE_SURROGATE.test(s), 'name is not valid unicode')
  .refine((s) => !HAS_DEFAULT_IGNORABLE.test(s.replace(EMOJI_GLUE, '')), 'name contains invisible characters')
  .refine((s) => VISIBLE_LETTER_OR_DIGIT.test(s.replace(DEFAULT_IGNORABLE, '')), 'name needs at least one visible letter or digit');

/** A chat line: trimmed, 1..280 characters, printable (newlines refused too). */
export const ChatText = z
  .string()
  .trim()
  .min(1, 'text must not be empty')
  .max(280, 'text must be at most 280 characters')
  .refine((s) => !FORBIDDEN_TEXT.test(s), 'text contains control characters')
  .refine((s) => !LONE_SURROGATE.test(s), 'text is not valid unicode');

export const PageLimit = z.coerce.number().int().min(1).max(100).default(20);
