-- Insert the staged DNC lines (temp table dnc_stage) that normalised to a phone number.
INSERT INTO raw.dnc_entries
SELECT $source_file, d.line_no, d.phone_raw, p.e164, $now
FROM dnc_stage AS d JOIN phone_lookup AS p ON p.raw = d.phone_raw
WHERE p.e164 IS NOT NULL;
