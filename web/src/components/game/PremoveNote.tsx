'use client';
// Says which premove is queued, with a button that cancels it (Escape, a right-click or a
// press on the board do too). Announced politely so a screen reader hears it was taken.
export function PremoveNote({ label, onCancel }: { label: string; onCancel: () => void }) {
  return (
    <p className="premove-note" role="status" data-testid="premove">
      <span>Premove: {label} (played when your turn comes)</span>
      <button type="button" onClick={onCancel}>
        Cancel premove
      </button>
    </p>
  );
}
