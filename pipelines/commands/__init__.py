"""The top layer's commands: what `make` runs, each a `python -m pipelines.commands.<name>`.

* `launcher`   — `make run`: the brain and the Dagster UI, with the first-start bootstrap;
* `report`     — `make report` (alias `make money`): call sync + journeys + revenue ops + report;
* `leads`      — `make leads INPUT=…`: score lead files end to end into the call queue;
* `sql_shell`  — `make sql`: a read-only SQL prompt on the serving copy;
* `sync_calls` — `make sync-calls`: one Retell API sync into the landing zone;
* `synthetic`  — `make synthetic`: land the synthetic calls without Dagster;
* `materialize` — the one "materialize a selection in-process, then publish the serving copy"
  every command that runs assets uses.
"""
