'use client';
// Game sounds made on the fly with Web Audio (no files to fetch): short tones for a move,
// a capture / connecting line, the start and end of a game and low time. Muting is
// remembered per browser; a visitor who asked for reduced motion starts muted (they can
// unmute). The AudioContext is created lazily and resumed on the first tap or key press,
// as browsers only allow sound after a gesture.

export type Cue = 'move' | 'capture' | 'start' | 'win' | 'loss' | 'draw' | 'lowTime' | 'offer';

export const SOUND_KEY = 'monkeytown.sound.v1';

/** Each cue: notes as [frequency Hz, start s, length s], a waveform and a peak volume. */
const CUES: Record<Cue, { notes: [number, number, number][]; wave: OscillatorType; gain: number }> = {
  move: { notes: [[520, 0, 0.07]], wave: 'triangle', gain: 0.25 },
  capture: { notes: [[330, 0, 0.06], [660, 0.05, 0.1]], wave: 'square', gain: 0.12 },
  start: { notes: [[392, 0, 0.1], [523, 0.1, 0.14]], wave: 'triangle', gain: 0.22 },
  win: { notes: [[523, 0, 0.12], [659, 0.12, 0.12], [784, 0.24, 0.25]], wave: 'triangle', gain: 0.22 },
  loss: { notes: [[392, 0, 0.16], [311, 0.16, 0.3]], wave: 'sine', gain: 0.25 },
  draw: { notes: [[440, 0, 0.14], [440, 0.18, 0.14]], wave: 'sine', gain: 0.2 },
  lowTime: { notes: [[880, 0, 0.05], [880, 0.12, 0.05]], wave: 'square', gain: 0.1 },
  /** The opponent offers a draw, a takeback or a rematch: a rising two-note call. */
  offer: { notes: [[587, 0, 0.09], [880, 0.1, 0.16]], wave: 'sine', gain: 0.24 },
};

let ctx: AudioContext | null = null;
let unlockInstalled = false;

function context(): AudioContext | null {
  if (typeof window === 'undefined') return null;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  ctx ??= new Ctor();
  return ctx;
}

/** Resume audio on the first gesture, so later cues (the opponent's moves) can sound. */
export function installAudioUnlock(): void {
  if (unlockInstalled || typeof window === 'undefined') return;
  unlockInstalled = true;
  const unlock = () => {
    if (isMuted()) return;
    void context()?.resume().catch(() => {});
  };
  window.addEventListener('pointerdown', unlock, { capture: true });
  window.addEventListener('keydown', unlock, { capture: true });
}

export function isMuted(): boolean {
  if (typeof window === 'undefined') return true;
  try {
    const stored = window.localStorage.getItem(SOUND_KEY);
    if (stored === 'on') return false;
    if (stored === 'off') return true;
  } catch {
    // storage blocked: fall through to the preference
  }
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

export function setMuted(muted: boolean): void {
  try {
    window.localStorage.setItem(SOUND_KEY, muted ? 'off' : 'on');
  } catch {
    // not remembered, still applied for this page
  }
  window.dispatchEvent(new Event('monkeytown:sound'));
}

/** Plays a cue unless muted. Returns whether it was started. */
export function playCue(cue: Cue): boolean {
  if (isMuted()) return false;
  const ac = context();
  if (!ac) return false;
  if (ac.state === 'suspended') void ac.resume().catch(() => {});
  const spec = CUES[cue];
  const t0 = ac.currentTime + 0.01;
  for (const [freq, at, len] of spec.notes) {
    const osc = ac.createOscillator();
    const gain = ac.createGain();
    osc.type = spec.wave;
    osc.frequency.value = freq;
    // A quick attack and exponential release: a soft "tok" rather than a click.
    gain.gain.setValueAtTime(0.0001, t0 + at);
    gain.gain.exponentialRampToValueAtTime(spec.gain, t0 + at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + len);
    osc.connect(gain).connect(ac.destination);
    osc.start(t0 + at);
    osc.stop(t0 + at + len + 0.02);
  }
  return true;
}
