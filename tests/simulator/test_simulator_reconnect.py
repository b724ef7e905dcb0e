"""When the LLM socket is dropped abnormally mid-call the simulator reconnects and asks again, as
Retell does; a peer that keeps dropping ends the call `error_llm_websocket_runtime`. The peer here
is a scripted websocket server (the real brain never drops a healthy call on purpose)."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import websockets

from tests.support.simulator import always, dial


class DroppingPeer:
    """Greets, then closes 1011 on the first `drops` requests; afterwards answers with end_call."""

    def __init__(self, drops: int) -> None:
        self.drops = drops
        self.connections = 0
        self.requests: list[dict[str, Any]] = []
        self.port = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Future[None] | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _handler(self, ws: Any) -> None:
        self.connections += 1
        await ws.send(
            json.dumps({"response_type": "config", "config": {"auto_reconnect": True, "call_details": False}})
        )
        if self.connections == 1:
            await ws.send(
                json.dumps({"response_type": "response", "response_id": 0, "content": "Hi!", "content_complete": True})
            )
        async for raw in ws:
            frame = json.loads(raw)
            if frame.get("interaction_type") not in ("response_required", "reminder_required"):
                continue
            self.requests.append(frame)
            if self.drops > 0:
                self.drops -= 1
                await ws.close(code=1011)
                return
            reply = {
                "response_type": "response",
                "response_id": frame["response_id"],
                "content": "Bye.",
                "content_complete": True,
                "end_call": True,
            }
            await ws.send(json.dumps(reply))

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = self._loop.create_future()
        async with websockets.serve(self._handler, "127.0.0.1", 0) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop

    def __enter__(self) -> DroppingPeer:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set_result, None)
        self._thread.join(10)


def test_one_abnormal_drop_is_survived(simulate: Any, client: Any) -> None:
    with DroppingPeer(drops=1) as peer:
        sim = simulate(
            brain_ws_url=f"ws://127.0.0.1:{peer.port}", webhook_url="", caller_factory=always("cooperative_literal")
        )
        cid = dial(client(sim), 1).call_id
        sim.wait_for_calls(1, timeout=30)
    call = sim.call(cid)
    assert call is not None and call["disconnection_reason"] == "agent_hangup"
    assert peer.connections == 2 and sim.stats()["reconnects"] == 1
    assert [r["response_id"] for r in peer.requests] == [1, 2]  # asked again under a new id
    assert peer.requests[1]["transcript"] == peer.requests[0]["transcript"]


def test_a_peer_that_keeps_dropping_ends_the_call_as_an_error(simulate: Any, client: Any) -> None:
    with DroppingPeer(drops=10) as peer:
        sim = simulate(
            brain_ws_url=f"ws://127.0.0.1:{peer.port}", webhook_url="", caller_factory=always("cooperative_literal")
        )
        cid = dial(client(sim), 1).call_id
        sim.wait_for_calls(1, timeout=30)
    call = sim.call(cid)
    assert call is not None and call["disconnection_reason"] == "error_llm_websocket_runtime"
    assert call["call_status"] == "error" and peer.connections == 3
