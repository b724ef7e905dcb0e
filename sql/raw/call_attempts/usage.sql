-- What the ledger already used, for one campaign and lead, right before an attempt is planned
-- (run under the ledger lock). Binds: $campaign, $lead_id, $local_day, $since_minute.
--   cap_used:         attempts counting against the daily cap (planned, dispatched, unknown) on the
--                     lead-local day $local_day
--   lead_attempts:    this campaign's attempts of the lead (failed ones count too: a number Retell
--                     keeps refusing is not retried forever)
--   last_attempt_at:  the lead's newest attempt that may have rung, any campaign
--   last_minute:      this campaign's calls planned since $since_minute (pacing across processes)
SELECT
    count(*) FILTER (WHERE campaign = $campaign AND local_day = $local_day
                     AND status IN ('planned', 'dispatched', 'unknown')) AS cap_used,
    count(*) FILTER (WHERE campaign = $campaign AND lead_id = $lead_id
                     AND status IN ('planned', 'dispatched', 'unknown', 'failed')) AS lead_attempts,
    max(planned_at) FILTER (WHERE lead_id = $lead_id AND status IN ('planned', 'dispatched', 'unknown'))
        AS last_attempt_at,
    count(*) FILTER (WHERE campaign = $campaign AND planned_at >= $since_minute
                     AND status IN ('planned', 'dispatched', 'unknown')) AS last_minute
FROM raw.call_attempts_current
WHERE NOT dry_run;
