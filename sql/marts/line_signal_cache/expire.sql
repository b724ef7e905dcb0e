-- Forget cached classifications made by another version of the vocabulary ($vocabulary_version is current).
DELETE FROM marts.line_signal_cache WHERE vocabulary_version <> $vocabulary_version;
