"""`make leads INPUT=path` (pipelines.commands.leads): end to end, prints where the queue went.

On both backends (`lead_env` asks for `warehouse_backend`): the embedded run publishes the serving
copy and names it; the DuckLake run publishes nothing and names the lake without its URL. A lake
whose catalog does not answer is one line on stderr, exit 1, nothing run."""

from __future__ import annotations

import io
import re

from pipelines.commands.leads import main, run
from tests.support.leads import FIXTURES


def test_scores_a_file_and_prints_where_the_queue_went(lead_env):
    out = io.StringIO()
    assert run([FIXTURES / "leads_seed.csv"], min_score=None, top_k=None, push=False, out=out) == 0
    text = out.getvalue()
    assert "4 records loaded, 0 rejected -> 4 leads scored, 2 qualified" in text
    assert "call queue: 2 leads" in text
    queue_csv = lead_env.data_dir / "leads" / "call_queue.csv"
    assert str(queue_csv) in text
    lines = queue_csv.read_text().splitlines()
    assert lines[0].startswith("queue_position,lead_id,business_name,phone_e164")
    assert len(lines) == 3 and "Prime Smile Dental" in lines[1]
    if lead_env.lake is None:
        assert str(lead_env.serving_file) in text and str(lead_env.warehouse_file) in text
        assert lead_env.serving_file.exists()
    else:
        assert lead_env.lake.describe() in text and lead_env.lake.url not in text
        assert "serving" not in text and not lead_env.serving_file.exists()


def test_an_unreachable_lake_catalog_is_one_clear_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WAREHOUSE_URL", "ducklake:postgres:host=127.0.0.1 port=1 user=eve password=hunter2 dbname=eve")
    monkeypatch.delenv("WAREHOUSE_DATA_PATH", raising=False)
    monkeypatch.delenv("WAREHOUSE_METADATA_SCHEMA", raising=False)
    assert main(["--input", str(FIXTURES / "leads_seed.csv"), "--wait", "0"]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("lead factory not run: cannot open the warehouse DuckLake (data ")
    assert len(captured.err.strip().splitlines()) == 1, captured.err
    assert "hunter2" not in captured.err + captured.out and "port=1" not in captured.err
    assert not (tmp_path / "data" / "leads" / "call_queue.csv").exists()


STAMP = r"\[\s*\d+\.\d s\] "


def test_progress_names_each_step_as_it_starts_and_ends_before_the_summary(lead_env):
    out = io.StringIO()
    assert run([FIXTURES / "leads_seed.csv"], min_score=None, top_k=None, push=False, out=out) == 0
    lines = out.getvalue().splitlines()
    summary_at = next(i for i, line in enumerate(lines) if line.startswith("lead factory:"))
    progress = lines[:summary_at]
    assert progress and all(re.match(STAMP, line) for line in progress), progress
    steps = [line.split("] ", 1)[1] for line in progress]
    for step in ("lead_records", "staged_leads", "marts__lead_scores", "marts__call_queue"):
        started, ended = (
            steps.index(f"{step} …"),
            next(i for i, text in enumerate(steps) if re.fullmatch(rf"{step} done in \d+\.\d s", text)),
        )
        assert started < ended
    # each table the run wrote, with its row count, inside its step
    assert "  staging.leads: 4 rows" in steps
    assert steps.index("  staging.leads: 4 rows") < steps.index(
        next(s for s in steps if s.startswith("staged_leads done"))
    )
    assert "  marts.call_queue: 2 rows" in steps and "  marts.lead_summary: 1 row" in steps
    stamps = [float(re.match(r"\[\s*(\d+\.\d) s\]", line).group(1)) for line in progress]
    assert stamps == sorted(stamps)


def test_a_failing_step_is_reported_as_failed_in_the_progress(lead_env, monkeypatch):
    import assets.leads.assets as lead_assets

    def broken_scoring():
        raise RuntimeError("scoring parameters unreadable")

    monkeypatch.setattr(lead_assets, "scoring_parameters", broken_scoring)
    out = io.StringIO()
    assert run([FIXTURES / "leads_seed.csv"], min_score=None, top_k=None, push=False, out=out) == 1
    steps = [line.split("] ", 1)[1] for line in out.getvalue().splitlines() if re.match(STAMP, line)]
    assert any(re.fullmatch(r"staged_leads FAILED in \d+\.\d s", text) for text in steps), steps


def test_missing_input_is_a_clear_error(lead_env, capsys):
    assert main(["--input", str(lead_env.data_dir / "nope.csv")]) == 2
    assert "no such input file" in capsys.readouterr().err
    assert main([]) == 2


def test_rejects_are_reported(lead_env):
    bad = lead_env.data_dir / "bad.csv"
    bad.write_text("colour\nred\n")
    out = io.StringIO()
    assert run([bad], min_score=None, top_k=None, push=False, out=out) == 3  # nothing usable loaded
    assert "missing columns" in out.getvalue() and "call queue: 0 leads" in out.getvalue()
