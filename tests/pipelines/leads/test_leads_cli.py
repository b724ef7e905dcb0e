"""`make leads INPUT=path` (pipelines.commands.leads): end to end, prints where the queue went."""

from __future__ import annotations

import io

from pipelines.commands.leads import main, run
from tests.support.leads import FIXTURES


def test_scores_a_file_and_prints_where_the_queue_went(lead_env):
    out = io.StringIO()
    assert run([FIXTURES / "leads_seed.csv"], min_score=None, top_k=None, push=False, out=out) == 0
    text = out.getvalue()
    assert "4 records loaded, 0 rejected -> 4 leads scored, 2 qualified" in text
    assert "call queue: 2 leads" in text
    queue_csv = lead_env.data_dir / "leads" / "call_queue.csv"
    assert str(queue_csv) in text and str(lead_env.serving_file) in text
    lines = queue_csv.read_text().splitlines()
    assert lines[0].startswith("queue_position,lead_id,business_name,phone_e164")
    assert len(lines) == 3 and "Prime Smile Dental" in lines[1]
    assert lead_env.serving_file.exists()


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
