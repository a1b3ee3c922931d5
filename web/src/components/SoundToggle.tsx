'use client';
// Sound on/off, remembered in this browser (see lib/sound.ts). Rendered as "on" only after
// the stored choice was read, so server and first client render agree.
import { useEffect, useState } from 'react';
import { isMuted, playCue, setMuted } from '../lib/sound';

export function SoundToggle() {
  const [muted, setState] = useState<boolean | null>(null);
  useEffect(() => {
    const read = () => setState(isMuted());
    read();
    window.addEventListener('monkeytown:sound', read);
    return () => window.removeEventListener('monkeytown:sound', read);
  }, []);
  const on = muted === false;
  return (
    <button
      type="button"
      className="sound-toggle"
      aria-pressed={on}
      disabled={muted === null}
      onClick={() => {
        setMuted(on);
        if (!on) playCue('move');
      }}
    >
      <span aria-hidden="true">{on ? '🔊' : '🔇'}</span> Sound {on ? 'on' : 'off'}
    </button>
  );
}
