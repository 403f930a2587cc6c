-- A change refused on its own (the kiosk asked for per-item refusals): the refusal, so the
-- same change sent again is refused the same way rather than out of order.
ALTER TABLE mutations ADD COLUMN refusal JSONB;
