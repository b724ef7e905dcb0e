"""The synthetic world: deterministic clinics, leads and Retell-shaped calls for offline runs.

Same seed + same ``as_of`` → byte-identical outputs on any machine, any day: every entity draws
from its own `random.Random` seeded by a hash of (seed, as_of, entity), nothing reads the clock
or the global `random`. Phones are fictional NANP 555-01xx numbers and every record is flagged
synthetic, so nothing here can ever reach a dialer.

Public API (also used by the call-data tests and benchmarks):

* `SyntheticConfig.build(seed, as_of, n_clinics, n_calls, days)` — validated inputs;
* `generate_clinics(seed, n)`, `lead_record(seed, clinic)`, `lead_record_rows(config, clinics)`;
* `generate_calls(config)` → get-call dicts; `generate_call_set(config)` → with ground truth;
* `iter_call_lines(config)` → streamed landing lines (compact, sorted keys) with ground truth;
* `write_landing(calls, data_dir)` → the landing zone JSONL files (`docs/synthetic-world.md`).
"""

from pipelines.synthetic.calls import CallTruth, GeneratedCall, generate_call_set, generate_calls, iter_call_lines
from pipelines.synthetic.clinics import Clinic, generate_clinics
from pipelines.synthetic.config import SyntheticConfig, SyntheticConfigError, parse_as_of
from pipelines.synthetic.leads import lead_record, lead_record_rows
from pipelines.synthetic.planning import scenario_quotas
from pipelines.synthetic.scenarios import SCENARIOS, expected_outcome
from pipelines.synthetic.writers import call_line, synthetic_landing_dir, write_landing

__all__ = [
    "CallTruth",
    "Clinic",
    "GeneratedCall",
    "SCENARIOS",
    "SyntheticConfig",
    "SyntheticConfigError",
    "call_line",
    "expected_outcome",
    "generate_call_set",
    "generate_calls",
    "generate_clinics",
    "iter_call_lines",
    "lead_record",
    "lead_record_rows",
    "parse_as_of",
    "scenario_quotas",
    "synthetic_landing_dir",
    "write_landing",
]
