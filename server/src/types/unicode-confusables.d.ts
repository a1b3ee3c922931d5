// Typings for `unicode-confusables` (its package.json names an index.d.ts it does not ship).
declare module 'unicode-confusables' {
  /** The string with every character replaced by its confusables.txt prototype (zero-width ones dropped). */
  export function rectifyConfusion(s: string): string;
  export function isConfusing(s: string): boolean;
}
