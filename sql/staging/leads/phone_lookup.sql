-- Distinct raw phone values → E.164. Clean NANP shapes are decided here with the bound pattern
-- $nanp_pattern (vocabulary.phones.nanp_national_pattern); the rest call eve_normalize_phone
-- (vocabulary.phones.normalize_phone registered as a DuckDB function), once per distinct value.
CREATE OR REPLACE TEMP TABLE phone_lookup AS
WITH distinct_raw AS (
    SELECT DISTINCT raw FROM phone_inputs WHERE raw IS NOT NULL AND trim(raw) <> ''
),
shaped AS (
    SELECT raw, regexp_replace(trim(raw), '[ ().-]', '', 'g') AS compact FROM distinct_raw
),
national AS (
    SELECT raw,
           CASE WHEN regexp_full_match(compact, '[0-9]{10}') THEN compact
                WHEN regexp_full_match(compact, '\+?1[0-9]{10}') THEN right(compact, 10)
           END AS nanp
    FROM shaped
)
SELECT raw,
       CASE WHEN regexp_full_match(nanp, $nanp_pattern) THEN '+1' || nanp END AS e164,
       true AS fast_path
FROM national WHERE nanp IS NOT NULL
UNION ALL
SELECT raw, eve_normalize_phone(raw) AS e164, false AS fast_path
FROM national WHERE nanp IS NULL;
