import type { Metadata } from 'next';
import { ModerationView } from '../../src/components/moderation/ModerationView';

export const metadata: Metadata = { title: 'Moderation', robots: { index: false } };

/** The moderators' page: open chat reports (the server shows them to MODERATORS only). */
export default function ModerationPage() {
  return (
    <div className="moderation-page">
      <div className="page-head">
        <div>
          <h1>Moderation</h1>
          <p className="lede">Chat reports players filed, oldest first. Closing one takes it off this list.</p>
        </div>
      </div>
      <ModerationView />
    </div>
  );
}
