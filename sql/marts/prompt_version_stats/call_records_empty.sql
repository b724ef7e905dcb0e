-- No raw.brain_calls yet: an empty prompt_call_records view (older calls fall back to text matching).
CREATE OR REPLACE TEMP VIEW prompt_call_records AS
SELECT NULL::VARCHAR AS call_id, NULL::JSON AS record WHERE false;
