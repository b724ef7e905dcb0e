"""The bottom layer of the data half: what every domain's Dagster definitions share.

* `settings`    — `PipelineSettings`, the one pydantic-settings object of the data half;
* `resources`   — the Dagster resources (`warehouse`, `settings`) built from one settings object;
* `catalog`     — every asset key, its warehouse table and its group, spelled once;
* `conventions` — the write pool, owner tag, kinds and the one side-effect tag;
* `sql`         — load and run files of `sql/`;
* `metadata`    — materialization metadata: row count, column schema, preview;
* `factory`     — the repeated "model SQL → table metadata" asset body and its checks;
* `serving`     — publish the analysts' serving copy atomically;
* `run`         — materialize a selection in-process, then publish the serving copy (commands).

Nothing here imports `assets`, `pipelines.definitions` or `pipelines.commands`.
"""
