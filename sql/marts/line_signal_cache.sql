-- marts.line_signal_cache: the vocabulary's answer for every distinct caller text already read,
-- keyed by md5(text) and the vocabulary version (a hash of the vocabulary sources), so each run of
-- marts.line_signals classifies only texts it has never seen. Internal to the line_signals asset.
CREATE TABLE IF NOT EXISTS marts.line_signal_cache (
    text_hash          VARCHAR NOT NULL,
    vocabulary_version VARCHAR NOT NULL,
    has_signal         BOOLEAN NOT NULL,
    email              VARCHAR,
    email_is_generic   BOOLEAN,
    email_spoken       BOOLEAN,
    is_dnc             BOOLEAN,
    is_close_request   BOOLEAN,
    objections         VARCHAR
);
