# Eve — every command installs into .venv first when needed (no global state, no accounts, no keys).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run brain test lint format bench clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

## install: create or update .venv with the pinned dependencies
install: $(STAMP)

## run: start the brain (127.0.0.1:8080) and the Dagster UI (127.0.0.1:3000) on the embedded defaults
run: install
	$(BIN)/python -m pipelines.commands.launcher

## brain: start only the brain service
brain: install
	$(BIN)/python -m brain_service

## lint: ruff (lint + format check) and mypy strict on the brain, vocabulary and contracts ([tool.mypy]); make test runs it first
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## format: apply ruff's formatter and safe fixes
format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## test: install if needed, lint, make sure PostgreSQL is up and chromium is installed, run the whole suite
test: install lint
	@bash .ci/ensure_postgres.sh
	@bash .ci/ensure_chromium.sh
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache

## report: call sync + journeys + revenue ops + the revenue report in one command; prints the report path
.PHONY: report money
report: install
	$(BIN)/python -m pipelines.commands.report

## money: old name of `make report` (kept as an alias)
money: report

## leads: score a lead file end to end and print where the queue went (make leads INPUT=path)
.PHONY: leads sql
leads: install
	@test -n "$(INPUT)" || { echo "usage: make leads INPUT=path/to/leads.csv [MIN_SCORE=60] [TOP_K=500]"; exit 2; }
	$(BIN)/python -m pipelines.commands.leads --input "$(INPUT)" $(if $(MIN_SCORE),--min-score $(MIN_SCORE)) $(if $(TOP_K),--top-k $(TOP_K))

## sql: the DuckDB CLI, read-only, on the analysts' serving copy ($DATA_DIR/serving.duckdb) or, with WAREHOUSE_URL set, on the lake live; ARGS="-c 'SQL'" for one query
sql: install
	@$(BIN)/python -m pipelines.commands.sql_shell $(ARGS)

## bench-brain: transport load benchmark (1000 Retell-shaped calls; CALLS=… DURATION=… ENTRY=uvicorn to change)
.PHONY: bench-brain test-brain-transport
bench-brain: install
	$(BIN)/python bench/ws_load.py --calls $(or $(CALLS),1000) --duration $(or $(DURATION),60) --ramp $(or $(RAMP),20) --entry $(or $(ENTRY),module)

## test-brain-transport: only the brain transport tests (real sockets; ~35 s)
test-brain-transport: install
	$(BIN)/python -m pytest -q tests/brain/transport

## synthetic: land the deterministic synthetic calls in $$DATA_DIR (CALLS=… CLINICS=… to change)
.PHONY: synthetic bench-synthetic
synthetic: install
	$(BIN)/python -m pipelines.commands.synthetic $(if $(CALLS),--calls $(CALLS)) $(if $(CLINICS),--clinics $(CLINICS))

## bench-synthetic: the synthetic world at 100k calls through the real asset (target ≤ 60 s)
bench-synthetic: install
	$(BIN)/python bench/synthetic.py --calls $(or $(CALLS),100000) --clinics $(or $(CLINICS),5000)

## sync-calls: one Retell API sync into the landing zone (needs RETELL_API_KEY in env/.env)
.PHONY: sync-calls bench-sync test-calls
sync-calls: install
	$(BIN)/python -m pipelines.commands.sync_calls

## bench-sync: Retell sync against the local fake API + landing load + staging (CALLS=… CONCURRENCY=…)
bench-sync: install
	$(BIN)/python bench/sync.py --calls $(or $(CALLS),10000) --concurrency $(or $(CONCURRENCY),16) --stage

## test-calls: only the call-data tests (sync, resume, landing, sensors, webhooks; ~60 s)
test-calls: install
	$(BIN)/python -m pytest -q tests/pipelines/calls tests/brain/webhooks

## eval: scripted caller personas through the real websocket (floors: DNC 100%, no dead air/stale frames, grade ≤ 8)
.PHONY: eval bench-llm test-brain-conversation
eval: install
	$(BIN)/python -m bench.eval $(if $(JSON),--json $(JSON))

## bench-llm: brain overhead on the model's first token, fake Gemini at 300 ms TTFT (CALLS=… DURATION=… INTERVAL=… s between a call's turns)
bench-llm: install
	$(BIN)/python bench/llm_latency.py --calls $(or $(CALLS),300) --duration $(or $(DURATION),45) --interval $(or $(INTERVAL),3)

## test-brain-conversation: conversation, speech, vocabulary and short-eval tests (~60 s)
test-brain-conversation: install
	$(BIN)/python -m pytest -q tests/brain/conversation tests/brain/speech tests/vocabulary

## export: upsert the marts into the Supabase/PostgreSQL ont_* tables once (needs SUPABASE_DB_URL); prints row counts
.PHONY: export bench-export
export: install
	$(BIN)/python -m pipelines.commands.export

## bench-export: 1,000,000 leads + 100,000 calls into a scratch database on 127.0.0.1:5432, first load and a 1 % rerun
bench-export: install
	$(BIN)/python bench/export.py --leads $(or $(LEADS),1000000) --calls $(or $(CALLS),100000)
## prompts: prompt versions — the active one and its A/B weights, candidates, stats, recent publishes
.PHONY: prompts publish-prompt rollback-prompt test-prompts
prompts: install
	$(BIN)/python -m pipelines.commands.prompts list

## publish-prompt: VERSION=<candidate or file.json> [WEIGHTS="a=0.8 b=0.2"] — needs PROMPT_LOCK=off on this command
publish-prompt: install
	@test -n "$(VERSION)" || { echo "usage: PROMPT_LOCK=off make publish-prompt VERSION=<candidate name or path.json>"; exit 2; }
	$(BIN)/python -m pipelines.commands.prompts publish "$(VERSION)" $(foreach w,$(WEIGHTS),--weight $(w))

## rollback-prompt: [VERSION=<published version>] re-activate it (default: the one before) — needs PROMPT_LOCK=off
rollback-prompt: install
	$(BIN)/python -m pipelines.commands.prompts rollback $(if $(VERSION),"$(VERSION)")

## test-prompts: prompt versions, stats, candidates, publish/rollback tests
test-prompts: install
	$(BIN)/python -m pytest -q tests/prompts

## simulator: the simulated Retell (REST API + calls played against the brain + signed webhooks) on SIM_PORT (8090)
.PHONY: simulator bench-simulator test-simulator
simulator: install
	SIM_PORT=$${SIM_PORT:-8090} $(BIN)/python -m simulator

## bench-simulator: the simulator plays CALLS (500) calls against the real brain, CONCURRENCY (100) at once
bench-simulator: install
	$(BIN)/python bench/simulator_load.py --calls $(or $(CALLS),500) --concurrency $(or $(CONCURRENCY),100) $(if $(TIME_SCALE),--time-scale $(TIME_SCALE)) $(if $(JSON),--json $(JSON))

test-simulator: install
	$(BIN)/python -m pytest -q tests/simulator
## campaigns: validate every campaign file in $$DATA_DIR/campaigns (exit 1 when one is rejected)
.PHONY: campaigns dispatch bench-dial-queue
campaigns: install
	$(BIN)/python -m pipelines.commands.campaigns check

## dispatch: one dispatch tick of one campaign (make dispatch CAMPAIGN=name); DRY_RUN rules apply
dispatch: install
	@test -n "$(CAMPAIGN)" || { echo "usage: make dispatch CAMPAIGN=name"; exit 2; }
	$(BIN)/python -m pipelines.commands.campaigns dispatch --campaign "$(CAMPAIGN)"

## bench-dial-queue: dial queue for 1M leads x 3 campaigns (target <= 10 s; LEADS=… to change)
bench-dial-queue: install
	$(BIN)/python bench/dial_queue.py --leads $(or $(LEADS),1000000)

## demo: a whole campaign day offline, no key: leads → campaign → simulated Retell ↔ real brain → report (DEMO_LEADS, DEMO_CONCURRENCY, DEMO_TIME_SCALE, DEMO_SEED, DEMO_DIR=data/demo, DEMO_FRESH=1)
.PHONY: demo
demo: install
	DATA_DIR=$(or $(DEMO_DIR),data/demo) $(BIN)/python -m pipelines.commands.demo --leads $(or $(DEMO_LEADS),40) --concurrency $(or $(DEMO_CONCURRENCY),8) --time-scale $(or $(DEMO_TIME_SCALE),1000) --seed $(or $(DEMO_SEED),7) $(if $(DEMO_FRESH),--fresh)
