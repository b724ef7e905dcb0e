-- Add this run's classifications (the registered relation `text_signals`, one row per new text).
INSERT INTO marts.line_signal_cache
SELECT md5(text), $vocabulary_version, has_signal, email, email_is_generic, email_spoken, is_dnc,
       is_close_request, objections
FROM text_signals;
