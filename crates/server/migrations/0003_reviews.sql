-- A report's human sign-off as the kiosk pushed it (reviewer, time, note, adjustments).
ALTER TABLE reports ADD COLUMN review JSONB;
