-- Add one chunk of landed JSON documents (the registered frame landing_lines_df) to this load.
INSERT INTO retell_landing_docs SELECT source_file, doc FROM landing_lines_df;
