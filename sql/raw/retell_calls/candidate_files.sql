-- The files of this load that gave at least one candidate record.
SELECT DISTINCT source_file FROM retell_candidates;
