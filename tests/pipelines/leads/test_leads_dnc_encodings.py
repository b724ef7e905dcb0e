"""A do-not-call list saved by Excel (UTF-16 "Unicode text", cp1252 CSV) still suppresses every
number on it: a DNC line lost to an encoding would mean calling someone who asked us not to."""

from __future__ import annotations

import pytest

from tests.support.leads import lead_row, write_jsonl

pytestmark = pytest.mark.embedded_only  # parsing files, not the warehouse

ROWS = [["name", "phone"], ["Zoë Müller", "214-302-0401"], ["José Núñez", "(214) 302-0402"]]


@pytest.mark.parametrize(
    "name,encoding,delimiter", [("dnc.txt", "utf-16", "\t"), ("dnc.csv", "cp1252", ","), ("dnc8.csv", "utf-8-sig", ",")]
)
def test_excel_saved_dnc_lists_suppress(lead_env, run_leads, query, name, encoding, delimiter):
    (lead_env.dnc_inbox_dir / name).write_bytes("".join(delimiter.join(r) + "\r\n" for r in ROWS).encode(encoding))
    leads = write_jsonl(
        lead_env.lead_inbox_dir / "q.jsonl",
        [lead_row(business_name="Spa", phone="2143020401"), lead_row(business_name="Spa 2", phone="2143020403")],
    )
    assert run_leads(paths=[leads]).success
    assert {r[0] for r in query("SELECT phone_e164 FROM marts.suppression_list")} == {"+12143020401", "+12143020402"}
    assert query("SELECT count(*) FROM raw.lead_ingest_rejects WHERE source = 'dnc'") == [(0,)]
