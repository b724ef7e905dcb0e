-- The report's prompt versions: one row per version with its email capture interval and, when its
-- parent has calls, the two-proportion comparison with it.
SELECT prompt_version, calls, email_captures, email_capture_rate, email_capture_low, email_capture_high,
       dnc_rate, compared_with, capture_z, capture_verdict
FROM marts.prompt_version_stats
WHERE grain = 'version'
ORDER BY prompt_version;
