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

/** A display name: trimmed, 1..24 characters, printable. */
export const PlayerName = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(24, 'name must be at most 24 characters')
  .refine((s) => !FORBIDDEN_TEXT.test(s), 'name contains control characters')
  .refine((s) => !LONE_SURROGATE.test(s), 'name is not valid unicode');

/** A chat line: trimmed, 1..280 characters, printable (newlines refused too). */
export const ChatText = z
  .string()
  .trim()
  .min(1, 'text must not be empty')
  .max(280, 'text must be at most 280 characters')
  .refine((s) => !FORBIDDEN_TEXT.test(s), 'text contains control characters')
  .refine((s) => !LONE_SURROGATE.test(s), 'text is not valid unicode');

export const PageLimit = z.coerce.number().int().min(1).max(100).default(20);
