'use client';
// The new-game form's time control: the presets for the chosen game (shared
// TIME_CONTROLS) and "Untimed". The value is a preset's label or 'untimed'; a label the
// new game type does not offer falls back to untimed.
import { TIME_CONTROLS, timeControlLabel } from '@monkeytown/shared/games';
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

/** A game's time control as a lobby row shows it ("3+2"), or null when untimed. */
export function clockLabel(clock: ClockSettings | null | undefined): string | null {
  return clock ? timeControlLabel(clock) : null;
}

export function TimeControlPicker({ type, value, onChange }: { type: GameType; value: string; onChange: (v: string) => void }) {
  const options = [{ value: UNTIMED, text: 'Untimed', spoken: 'no clock' }, ...TIME_CONTROLS[type].map((t) => ({ value: t.label, text: t.label, spoken: spokenControl(t) }))];
  return (
    <fieldset className="choices clock-choices">
      <legend>Time control</legend>
      {options.map((o) => (
        <label key={o.value} className="choice clock-choice" title={o.spoken}>
          <input type="radio" name="clock" value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} aria-label={o.value === UNTIMED ? o.text : `${o.text}: ${o.spoken}`} />
          <span className="choice-title" aria-hidden="true">
            {o.text}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
