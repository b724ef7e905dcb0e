-- Record the staged DNC lines that are not phone numbers as rejects (source 'dnc').
INSERT INTO raw.lead_ingest_rejects
SELECT 'dnc', $source_file, d.line_no,
       CASE WHEN contains(d.phone_raw, chr(65533)) THEN 'invalid encoding: line is not UTF-8'
            ELSE 'not a phone number' END,
       left(d.phone_raw, 500), $now
FROM dnc_stage AS d LEFT JOIN phone_lookup AS p ON p.raw = d.phone_raw
WHERE p.e164 IS NULL;
