-- The distinct caller (user) texts of staging.transcript_lines not yet in marts.line_signal_cache:
-- what pipelines/journeys/line_signals.py classifies with the shared vocabulary this run.
SELECT DISTINCT l.text
FROM staging.transcript_lines AS l
WHERE l.role = 'user' AND l.text IS NOT NULL AND trim(l.text) <> ''
  AND NOT EXISTS (SELECT 1 FROM marts.line_signal_cache AS c WHERE c.text_hash = md5(l.text));
