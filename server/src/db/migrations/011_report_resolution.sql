-- Issue 26, a moderator's view of chat reports: a report stays open until a moderator
-- (MODERATORS, docs/api.md "Moderation") closes it, with an optional note.
ALTER TABLE chat_reports
  ADD COLUMN resolved_at timestamptz,
  ADD COLUMN resolved_by uuid REFERENCES players (id),
  ADD COLUMN resolution_note text;
-- The moderators' queue: the open reports, oldest first.
CREATE INDEX chat_reports_open ON chat_reports (created_at) WHERE resolved_at IS NULL;
