"""Campaign files: defaults, clamping, and bad files that load nothing and say why (file + field)."""

from __future__ import annotations

from datetime import time

import pytest

from pipelines.campaigns.config import (
    EXAMPLE_FILE,
    CampaignFileError,
    install_example,
    load_campaign_file,
    load_campaigns,
)
from tests.support.campaigns import write_campaign_file

BASE = {"agent_id": "agent_x", "from_numbers": ["+14155550000"]}


def test_defaults_of_the_issue(tmp_path):
    camp = load_campaign_file(write_campaign_file(tmp_path, "plain", **BASE))
    assert not camp.enabled
    assert camp.weekdays == ["mon", "tue", "wed", "thu", "fri", "sat"]
    assert camp.effective_window == (time(9), time(17))
    assert (camp.max_attempts, camp.min_hours_between_attempts) == (3, 24.0)


def test_window_is_clamped_to_legal_hours_whatever_the_file_says(tmp_path):
    camp = load_campaign_file(write_campaign_file(tmp_path, "wide", window_start="06:00", window_end="23:30", **BASE))
    assert camp.effective_window == (time(8), time(21))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"colour": "red"}, "colour: unknown field"),
        ({"timezones": ["Mars/Base"]}, "timezones: 'Mars/Base' is not an IANA time zone"),
        ({"daily_cap": -1}, "daily_cap: Input should be greater than or equal to 0"),
        ({"window_start": "22:00", "window_end": "07:00"}, "window_start 22:00 must be before window_end 07:00"),
        ({"window_start": "9am"}, "window_start: window_start must be HH:MM"),
        ({"weekdays": ["funday"]}, "weekdays.0: Input should be 'mon'"),
        ({"from_numbers": ["12345"]}, "from_numbers: Value error, '12345' is not a valid E.164 number"),
        ({"max_attempts": 0}, "max_attempts: Input should be greater than or equal to 1"),
        ({"prompt_version": "v1", "prompt_weights": "x"}, "prompt_weights"),
        ({"dynamic_variables": "x"}, "dynamic_variables"),
        ({"name": "other"}, "name: 'other' differs from the file name"),
    ],
)
def test_bad_files_load_nothing_and_name_file_and_field(tmp_path, fields, expected):
    merged = {**BASE, **fields}
    name = merged.pop("name", "bad")
    path = write_campaign_file(tmp_path, "bad", **merged)
    if name != "bad":
        path.write_text(path.read_text().replace('name = "bad"', f'name = "{name}"'))
    loaded = load_campaign_file(path)
    assert isinstance(loaded, CampaignFileError)
    assert str(path) in str(loaded)
    assert expected.replace("Value error, ", "") in loaded.message


def test_unknown_dynamic_variable_source_is_rejected(tmp_path):
    path = write_campaign_file(tmp_path, "dyn", **BASE)
    path.write_text(path.read_text() + '[dynamic_variables]\nowner = "password"\n')
    loaded = load_campaign_file(path)
    assert isinstance(loaded, CampaignFileError) and "owner = 'password'" in loaded.message


@pytest.mark.parametrize("raw", [b'name = "x\n', b"\xff\xfe garbage", b"[[[", b"daily_cap = 3\ndaily_cap = 4\n"])
def test_malformed_toml_loads_nothing_and_the_others_still_load(tmp_path, raw):
    folder = tmp_path / "campaigns"
    write_campaign_file(tmp_path, "good", **BASE)
    (folder / "broken.toml").write_bytes(raw)
    campaigns, errors = load_campaigns(folder)
    assert list(campaigns) == ["good"]
    assert len(errors) == 1 and errors[0].path.name == "broken.toml"
    assert "TOML" in errors[0].message or "unreadable" in errors[0].message


def test_example_ships_disabled_and_is_copied_only_on_first_run(tmp_path):
    folder = tmp_path / "campaigns"
    copied = install_example(folder)
    assert copied is not None and copied.read_bytes() == EXAMPLE_FILE.read_bytes()
    example = load_campaign_file(copied)
    assert not isinstance(example, CampaignFileError) and not example.enabled
    copied.unlink()
    assert install_example(folder) is None  # a deleted example stays deleted


def test_ab_weights_are_stable_and_follow_the_weights(tmp_path):
    camp = load_campaign_file(write_campaign_file(tmp_path, "ab", **BASE))
    camp = camp.model_copy(update={"prompt_version": None, "prompt_weights": {"v1": 3.0, "v2": 1.0}})
    arms = [camp.prompt_for(f"L{i}") for i in range(4000)]
    assert arms == [camp.prompt_for(f"L{i}") for i in range(4000)]
    assert 0.70 < arms.count("v1") / len(arms) < 0.80
