'use client';
// The new-game form's time control: the presets for the chosen game (shared
// TIME_CONTROLS) and "Untimed", in a select on the Play button's row. The value is a preset's label or 'untimed'; a label the
// new game type does not offer falls back to untimed.
import { TIME_CONTROLS, timeControlLabel } from '@monkeytown/shared/games/meta';
import type { ClockSettings, GameType } from '@monkeytown/shared/schemas';

export const UNTIMED = 'untimed';

/** The clock a picked value means for a game type (undefined: untimed). */
export function clockFor(type: GameType, value: string): ClockSettings | undefined {
  const tc = TIME_CONTROLS[type].find((t) => t.label === value);
  return tc ? { initialSeconds: tc.initialSeconds, incrementSeconds: tc.incrementSeconds } : undefined;
}

/** "3 minutes plus 2 seconds a move", for screen readers and tooltips. */
export function spokenControl(c: ClockSettings): string {
  const base = c.initialSeconds % 60 === 0 ? `${c.initialSeconds / 60} ${c.initialSeconds === 60 ? 'minute' : 'minutes'}` : `${c.initialSeconds} seconds`;
  return c.incrementSeconds ? `${base} plus ${c.incrementSeconds} ${c.incrementSeconds === 1 ? 'second' : 'seconds'} a move` : `${base}, no increment`;
}

/** "3 min + 2 s": an option's gloss. */
function shortControl(c: ClockSettings): string {
  const base = c.initialSeconds % 60 === 0 ? `${c.initialSeconds / 60} min` : `${c.initialSeconds} s`;
  return `${base} + ${c.incrementSeconds} s`;
}

/** A game's time control as a lobby row shows it ("3+2"), or null when untimed. */
export function clockLabel(clock: ClockSettings | null | undefined): string | null {
  return clock ? timeControlLabel(clock) : null;
}

/** A select beside the Play button: one row, so the form does not grow (Play stays above the fold). */
export function TimeControlPicker({ type, value, onChange }: { type: GameType; value: string; onChange: (v: string) => void }) {
  return (
    <label className="clock-picker">
      <span className="clock-picker-label">
        <span aria-hidden="true">⏱ </span>Time control
      </span>
      <select name="clock" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value={UNTIMED}>Untimed</option>
        {TIME_CONTROLS[type].map((t) => (
          <option key={t.label} value={t.label}>
            {t.label} · {shortControl(t)}
          </option>
        ))}
      </select>
    </label>
  );
}
