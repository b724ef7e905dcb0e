-- The brain's call records, read for the wording ids each record names (prompt_variants / prompt_lines).
CREATE OR REPLACE TEMP VIEW prompt_call_records AS
SELECT call_id, record::JSON AS record FROM raw.brain_calls;
