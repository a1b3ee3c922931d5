// Guest names may carry a disambiguation tag from the server ("Nora #09FA": another recent
// guest shows "Nora", server/src/players/names.ts). Inside one game that tag is noise
// unless two people there really share the name: the move list and chat drop it then, and
// the player strips show it small.

const TAG = /^(.*\S)\s+(#[0-9A-F]{4,})$/;

/** "Nora #09FA" → { base: "Nora", tag: "#09FA" }; a name without a tag has tag null. */
export function splitTag(name: string): { base: string; tag: string | null } {
  const m = TAG.exec(name);
  return m ? { base: m[1]!, tag: m[2]! } : { base: name, tag: null };
}

/** `name` without its tag, unless another of `names` (the game's players and speakers) has the same base. */
export function shortName(name: string, names: readonly string[]): string {
  const { base, tag } = splitTag(name);
  if (!tag) return name;
  const clash = names.some((n) => n !== name && splitTag(n).base === base);
  return clash ? name : base;
}
