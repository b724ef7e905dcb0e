"""The whole synthetic world in one call each: land the calls, count what was landed.

`land_calls(config, data_dir)` streams every call straight from the generator to the landing
zone (flat memory at any size) and tallies scenarios and expected outcomes for the asset's
metadata and the benchmark.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.synthetic.calls import iter_call_lines
from pipelines.synthetic.clinics import Clinic
from pipelines.synthetic.config import SyntheticConfig
from pipelines.synthetic.writers import LandingReport, write_landing_lines


@dataclass
class LandedCalls:
    report: LandingReport
    scenarios: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)


def land_calls(config: SyntheticConfig, data_dir: Path | str, clinics: list[Clinic] | None = None) -> LandedCalls:
    """Generate and write every call of the world; idempotent (see `writers.write_landing_lines`)."""
    scenarios: Counter = Counter()
    outcomes: Counter = Counter()

    def day_lines():
        for line, truth in iter_call_lines(config, clinics):
            scenarios[truth.scenario] += 1
            outcomes[truth.expected_outcome] += 1
            yield truth.call_date, line

    report = write_landing_lines(day_lines(), data_dir)
    return LandedCalls(report=report, scenarios=scenarios, outcomes=outcomes)
