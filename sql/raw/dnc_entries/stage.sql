-- Stage one DNC file's lines (the registered frame dnc_frame) and the phone values to normalise.
CREATE OR REPLACE TEMP TABLE dnc_stage AS SELECT * FROM dnc_frame;
CREATE OR REPLACE TEMP TABLE phone_inputs AS SELECT DISTINCT phone_raw AS raw FROM dnc_stage;
