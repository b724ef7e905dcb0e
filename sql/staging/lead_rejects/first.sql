-- `make leads`: the first rejected lead inputs, shown in the command's summary.
SELECT source_file, record_no, reason
FROM staging.lead_rejects
ORDER BY source_file, record_no
LIMIT 5;
