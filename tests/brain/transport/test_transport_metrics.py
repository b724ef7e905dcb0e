"""/metrics exposes the transport's counters and histograms in Prometheus text format."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


async def test_metrics_content_after_traffic(brain_factory, connect, tx):
    brain = brain_factory()
    client = await connect(brain.ws_url + "/llm-websocket/metered")
    await client.start()
    await client.ping(1)
    await client.request(1)
    await client.read_turn(1)
    await client.send("nope")
    await client.ping(2)
    status, text = brain.http_get("/metrics")
    assert status == 200
    families = {family.name: family for family in text_string_to_metric_families(text)}
    for name in (
        "brain_active_sessions",
        "brain_frames_in",
        "brain_frames_out",
        "brain_bad_frames",
        "brain_session_closes",
        "brain_write_timeouts",
        "brain_stale_frames_dropped",
        "brain_handshake_rejections",
        "brain_ping_handling_delay_seconds",
        "brain_turn_first_chunk_latency_seconds",
        "brain_barge_in_cancel_latency_seconds",
    ):
        assert name in families, name
    assert brain.metric("brain_active_sessions") == 1
    assert brain.metric("brain_frames_in_total", type="ping_pong") == 2
    assert brain.metric("brain_frames_in_total", type="response_required") == 1
    assert brain.metric("brain_frames_out_total", type="config") == 1
    assert brain.metric("brain_frames_out_total", type="ping_pong") == 2
    assert brain.metric("brain_bad_frames_total", kind="not_json") == 1
    assert brain.metric("brain_ping_handling_delay_seconds_count") == 2
    assert brain.metric("brain_turn_first_chunk_latency_seconds_count", kind="response") == 1
    assert brain.metric("brain_turn_first_chunk_latency_seconds_count", kind="begin") == 1
    # Close reasons are label values, never part of a metric name.
    assert not [line for line in text.splitlines() if line.startswith("brain_") and "close_reason_" in line]
    await client.close()
    await tx.wait_for(lambda: brain.metric("brain_session_closes_total", reason="client_closed") == 1)
    assert brain.metric("brain_active_sessions") == 0


def test_single_process_is_enforced(monkeypatch):
    from brain_service.__main__ import main

    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    assert main() == 2


async def test_logs_one_line_per_session_start_and_end_without_transcript_text(
    memory_brain_factory, connect, tx, caplog
):
    import json
    import logging

    caplog.set_level(logging.INFO, logger="brain")
    brain = memory_brain_factory()
    client = await connect(brain.ws_url + "/llm-websocket/logged")
    await client.start()
    await client.request(1, "my secret phrase is purple elephant")
    await client.read_turn(1)
    await client.send(
        '{"interaction_type": "update_only", "transcript": [{"role": "user", "content": "purple elephant again"}], broken'
    )
    await client.ping(1)
    await client.close()
    await tx.wait_for(lambda: any('"session_end"' in r.getMessage() for r in caplog.records))
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("brain.")]
    assert not [line for line in lines if "purple" in line or "elephant" in line]
    events = [json.loads(line)["event"] for line in lines if line.startswith("{")]
    assert events.count("session_start") == 1 and events.count("session_end") == 1
    end = [json.loads(line) for line in lines if '"session_end"' in line][0]
    assert end["call_id"] == "logged" and end["close_reason"] == "client_closed" and end["bad_frames"] == 1
