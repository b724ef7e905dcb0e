"""Prompt refinement, as a library (no Dagster): stats per version and line wording, candidates
learned from them, the eval gate, publish / rollback under the lock.

* `intervals`  — Wilson score intervals (the same formula the stats SQL uses);
* `stats`      — `marts.prompt_version_stats` from the journeys marts and the versions' wordings;
* `candidates` — a deterministic candidate: promote winning wordings, retire losing ones;
* `gemini`     — challenger wordings written by Gemini from the stats and real objections (when keyed);
* `store`      — the files under `$DATA_DIR/prompts/` (versions, candidates, history, active);
* `publish`    — publish / rollback: atomic, serialised, only when `PROMPT_LOCK` is open;
* `gate`       — plays a version through the simulated-caller eval (`bench/eval.py`).

`python -m pipelines.commands.prompts list|publish|rollback` is the command line (`make prompts`, …).
"""
