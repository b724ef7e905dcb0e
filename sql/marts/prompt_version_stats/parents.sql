-- Each version's parent (from the version documents), for the version-vs-parent comparison of
-- marts.prompt_version_stats; rows are inserted by pipelines/prompts/stats.py.
CREATE OR REPLACE TEMP TABLE prompt_parents (version VARCHAR, parent VARCHAR);
