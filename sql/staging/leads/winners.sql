-- One winner per dedupe key (temp table lead_winners): the most complete record, then the newest,
-- then the first by file and position; merged_records = how many records share the key.
CREATE OR REPLACE TEMP TABLE lead_winners AS
SELECT arg_min(row_id, struct_pack(c := -completeness, t := -epoch_us(ingested_at), f := source_file,
                                   n := record_no)) AS row_id,
       count(*) AS merged_records
FROM lead_keys
GROUP BY dedupe_key;
