-- staging.calls: one row per call, Retell's view and the brain's record joined on call_id
-- (group `calls`). CONTRACT read by journeys and revenue ops; more columns may be added, none removed.
--   sources          'retell' | 'brain' | 'retell+brain'
--   numbers          E.164 (vocabulary.phones rules): clean NANP numbers set-based with the bound
--                    regexes $e164_nanp_re / $national_nanp_re, anything else through the Python UDF
--                    eve_normalize_phone(VARCHAR) (= vocabulary.phones.normalize_phone) registered
--                    by the asset on its connection.
--   timestamps       TIMESTAMP in UTC (Retell epoch ms; brain ISO-8601 Z).
--   cost_usd         Retell call_cost.combined_cost is in cents.
--   latency_*        Retell's own latency.e2e / latency.llm percentiles (ms), Retell rows only.
--   lead_id / campaign_id: Retell metadata, then retell_llm_dynamic_variables, then the brain record.
--   prompt_version   the version the brain pinned on its record (what was really spoken), else
--                    Retell metadata / dynamic variables (synthetic and dialer calls).
--   analysis_outcome call_analysis.custom_analysis_data.call_outcome when Retell's analysis has it.
--   brain_outcome / brain_email / close_reason from the brain record.
-- One statement (it binds parameters); staging schema is created by sql/staging/schema.sql.
-- Each staging file parses raw JSON for only the fields it needs (one pass each: cheaper than one
-- shared parse into a temp table, which has to materialise nested lists).
CREATE OR REPLACE TABLE staging.calls AS
WITH retell AS (
    SELECT
        r.call_id,
        r.source,
        r.seen_sources,
        json_transform(r.raw, '{
            "agent_id": "VARCHAR", "call_type": "VARCHAR", "direction": "VARCHAR",
            "call_status": "VARCHAR", "from_number": "VARCHAR", "to_number": "VARCHAR",
            "start_timestamp": "BIGINT", "end_timestamp": "BIGINT", "duration_ms": "DOUBLE",
            "disconnection_reason": "VARCHAR",
            "call_analysis": {"in_voicemail": "BOOLEAN", "user_sentiment": "VARCHAR",
                              "call_successful": "BOOLEAN",
                              "custom_analysis_data": {"call_outcome": "VARCHAR"}},
            "call_cost": {"combined_cost": "DOUBLE"},
            "latency": {"e2e": {"p50": "DOUBLE", "p95": "DOUBLE"},
                        "llm": {"p50": "DOUBLE", "p95": "DOUBLE"}},
            "metadata": {"lead_id": "VARCHAR", "campaign_id": "VARCHAR",
                         "prompt_version": "VARCHAR", "synthetic": "BOOLEAN"},
            "retell_llm_dynamic_variables": {"lead_id": "VARCHAR", "campaign_id": "VARCHAR",
                                             "prompt_version": "VARCHAR"}
        }') AS c
    FROM raw.retell_calls AS r
),
brain AS (
    SELECT
        b.call_id,
        b.started_at,
        b.ended_at,
        b.synthetic,
        json_transform(b.record, '{
            "lead_id": "VARCHAR", "campaign_id": "VARCHAR", "from_number": "VARCHAR",
            "to_number": "VARCHAR", "direction": "VARCHAR", "prompt_version": "VARCHAR",
            "outcome": "VARCHAR", "email": "VARCHAR", "close_reason": "VARCHAR"
        }') AS rec
    FROM raw.brain_calls AS b
),
joined AS (
    SELECT
        coalesce(retell.call_id, brain.call_id) AS call_id,
        CASE
            WHEN retell.call_id IS NOT NULL AND brain.call_id IS NOT NULL THEN 'retell+brain'
            WHEN retell.call_id IS NOT NULL THEN 'retell'
            ELSE 'brain'
        END AS sources,
        coalesce(list_contains(retell.seen_sources, 'synthetic'), false)
            OR coalesce(retell.c.metadata.synthetic, false)
            OR coalesce(brain.synthetic, false) AS is_synthetic,
        retell.c.agent_id AS agent_id,
        retell.c.call_type AS call_type,
        coalesce(retell.c.direction, brain.rec.direction) AS direction,
        coalesce(retell.c.call_status, CASE WHEN brain.call_id IS NOT NULL THEN 'ended' END) AS call_status,
        coalesce(retell.c.from_number, brain.rec.from_number) AS from_number_raw,
        coalesce(retell.c.to_number, brain.rec.to_number) AS to_number_raw,
        coalesce(make_timestamp(retell.c.start_timestamp * 1000), brain.started_at) AS start_ts,
        coalesce(make_timestamp(retell.c.end_timestamp * 1000), brain.ended_at) AS end_ts,
        coalesce(
            retell.c.duration_ms / 1000.0,
            epoch(make_timestamp(retell.c.end_timestamp * 1000)) - epoch(make_timestamp(retell.c.start_timestamp * 1000)),
            epoch(brain.ended_at) - epoch(brain.started_at)
        ) AS duration_s,
        retell.c.disconnection_reason AS disconnection_reason,
        retell.c.call_analysis.in_voicemail AS in_voicemail,
        retell.c.call_analysis.user_sentiment AS user_sentiment,
        retell.c.call_analysis.call_successful AS call_successful,
        retell.c.call_cost.combined_cost / 100.0 AS cost_usd,
        retell.c.latency.e2e.p50 AS latency_e2e_p50_ms,
        retell.c.latency.e2e.p95 AS latency_e2e_p95_ms,
        retell.c.latency.llm.p50 AS latency_llm_p50_ms,
        retell.c.latency.llm.p95 AS latency_llm_p95_ms,
        coalesce(retell.c.metadata.lead_id, retell.c.retell_llm_dynamic_variables.lead_id, brain.rec.lead_id) AS lead_id,
        coalesce(retell.c.metadata.campaign_id, retell.c.retell_llm_dynamic_variables.campaign_id, brain.rec.campaign_id) AS campaign_id,
        coalesce(brain.rec.prompt_version, retell.c.metadata.prompt_version, retell.c.retell_llm_dynamic_variables.prompt_version) AS prompt_version,
        retell.c.call_analysis.custom_analysis_data.call_outcome AS analysis_outcome,
        brain.rec.outcome AS brain_outcome,
        brain.rec.email AS brain_email,
        brain.rec.close_reason AS close_reason,
        retell.source AS retell_source
    FROM retell
    FULL OUTER JOIN brain ON retell.call_id = brain.call_id
)
SELECT
    call_id,
    sources,
    is_synthetic,
    agent_id,
    call_type,
    direction,
    call_status,
    CASE
        WHEN from_number_raw IS NULL OR trim(from_number_raw) = '' THEN NULL
        WHEN regexp_full_match(from_number_raw, $e164_nanp_re) THEN from_number_raw
        WHEN regexp_full_match(from_number_raw, $national_nanp_re) THEN '+1' || from_number_raw
        ELSE eve_normalize_phone(from_number_raw)
    END AS from_number_e164,
    CASE
        WHEN to_number_raw IS NULL OR trim(to_number_raw) = '' THEN NULL
        WHEN regexp_full_match(to_number_raw, $e164_nanp_re) THEN to_number_raw
        WHEN regexp_full_match(to_number_raw, $national_nanp_re) THEN '+1' || to_number_raw
        ELSE eve_normalize_phone(to_number_raw)
    END AS to_number_e164,
    start_ts,
    end_ts,
    duration_s::DOUBLE AS duration_s,
    disconnection_reason,
    in_voicemail,
    user_sentiment,
    call_successful,
    cost_usd::DOUBLE AS cost_usd,
    latency_e2e_p50_ms,
    latency_e2e_p95_ms,
    latency_llm_p50_ms,
    latency_llm_p95_ms,
    lead_id,
    campaign_id,
    prompt_version,
    analysis_outcome,
    brain_outcome,
    brain_email,
    close_reason,
    retell_source,
    from_number_raw,
    to_number_raw
FROM joined;
