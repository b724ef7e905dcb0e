-- Stage the valid brain records of this load (the registered frame brain_records_df).
CREATE OR REPLACE TEMP TABLE brain_records_batch AS SELECT * FROM brain_records_df;
