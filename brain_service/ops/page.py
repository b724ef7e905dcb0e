"""The HTML of ``/ops``: the panels (rendered here, once, for the page and for its JSON refresh),
the page shell with its small refresh script, and the login form.

The only renderer is this module: the page's script fetches ``/ops/api/snapshot`` every
:data:`REFRESH_S` seconds and swaps in the panels' HTML that the JSON carries, so there is no
front-end build and no second renderer to drift. Every value is escaped here. No control on the
page dials or changes anything; the only forms are log in and log out.
"""

from __future__ import annotations

from html import escape

from brain_service.ops.charts import bar_chart, latency_chart
from brain_service.ops.snapshot import LATENCY_KINDS, LiveCall, OpsSnapshot

REFRESH_S = 2
MAX_ROWS_SHOWN = 200

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2430}
header{display:flex;justify-content:space-between;align-items:center;padding:10px 18px;background:#1d2430;color:#fff}
header h1{font-size:17px;margin:0}header form{margin:0}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:14px;padding:14px}
section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:10px 14px}
section h2{font-size:15px;margin:0 0 8px}section.wide{grid-column:1/-1}
.chart{max-width:100%;height:auto}.scroll{overflow-x:auto}
.tiles{display:flex;gap:18px;flex-wrap:wrap}.tile b{display:block;font-size:26px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
td,th{text-align:left;padding:3px 6px;border-bottom:1px solid #eef0f3}
.axis{font-size:11px;fill:#555}.empty{color:#777}.legend{font-size:12px;color:#444}.key{margin-right:10px}
.bad{color:#fff;background:#b3261e;padding:2px 8px;border-radius:4px}
.ok{color:#fff;background:#2e7d5b;padding:2px 8px;border-radius:4px}
.warn{color:#1d2430;background:#f2c94c;padding:2px 8px;border-radius:4px}
#updated{font-size:12px;opacity:.8}body[data-state=stale] #updated{color:#f2c94c}
.login{max-width:360px;margin:80px auto;background:#fff;padding:20px;border:1px solid #dde1e7;border-radius:6px}
.login input{width:100%;padding:6px;margin:6px 0 12px;box-sizing:border-box}.error{color:#b3261e}
"""

_SCRIPT = """
(function () {
  var every = REFRESH_MS, stamp = document.getElementById("updated");
  function refresh() {
    fetch("/ops/api/snapshot", {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (r) {
        if (r.status === 401 || r.status === 404) { window.location.reload(); throw new Error("signed out"); }
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      })
      .then(function (data) {
        Object.keys(data.panels).forEach(function (id) {
          var el = document.getElementById(id);
          if (el) { el.innerHTML = data.panels[id]; }
        });
        document.body.dataset.state = "fresh";
        stamp.textContent = "updated " + data.snapshot.generated_at;
      })
      .catch(function () {
        document.body.dataset.state = "stale";
        stamp.textContent = "no answer from the brain, retrying";
      })
      .finally(function () { window.setTimeout(refresh, every); });
  }
  window.setTimeout(refresh, every);
})();
""".replace("REFRESH_MS", str(REFRESH_S * 1000))


def _num(value: float | None, unit: str = "", digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}{unit}"


def _ms(value: float | None) -> str:
    """Milliseconds: one decimal below 10 ms, whole numbers above."""
    return _num(value, " ms", 1 if value is not None and value < 10 else 0)


def _clock(iso: str | None) -> str:
    """``HH:MM:SS`` of an ISO-8601 UTC time (the panel names the day)."""
    return iso[11:19] if iso and len(iso) >= 19 and iso[10] == "T" else (iso or "–")


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


def summary_panel(snap: OpsSnapshot) -> str:
    switch = snap.stop_switch
    if switch.set is True:
        badge = f'<span class="bad" id="stop-state" data-stop="set">STOP set since {escape(switch.since or "?")}: no campaign dials</span>'
    elif switch.set is False:
        badge = '<span class="ok" id="stop-state" data-stop="clear">not set</span>'
    else:
        badge = f'<span class="warn" id="stop-state" data-stop="unknown">unknown ({escape(switch.error or "")})</span>'
    brain_state = '<span class="warn">draining</span>' if snap.draining else '<span class="ok">serving</span>'
    return (
        '<div class="tiles">'
        f'<div class="tile">live calls<b id="live-count" data-count="{snap.live_count}">{snap.live_count}</b></div>'
        f'<div class="tile">awaiting reconnect<b>{snap.waiting_reconnect}</b></div>'
        f'<div class="tile">capacity<b>{snap.max_sessions:,}</b></div>'
        f'<div class="tile">finished today<b>{sum(snap.outcomes.counts.values()):,}</b></div>'
        "</div>"
        f"<p>Brain: {brain_state} · Campaign stop switch: {badge}<br>"
        f"<small>switch file: <code>{escape(switch.path)}</code></small></p>"
    )


def _live_row(row: LiveCall) -> str:
    state = "connected" if row.connected else "awaiting reconnect"
    return (
        f'<tr data-call-id="{escape(row.call_id)}"><td><code>{escape(row.call_id)}</code></td>'
        f"<td>{escape(row.stage or '–')}</td><td>{_duration(row.duration_s)}</td>"
        f"<td>{_ms(row.last_turn_latency_ms)}</td><td>{row.turns}</td>"
        f"<td>{state}{f' ({row.reconnects} reconnects)' if row.reconnects else ''}</td>"
        f"<td>{escape(row.prompt_version or '–')}</td></tr>"
    )


def live_panel(snap: OpsSnapshot) -> str:
    if not snap.live_calls:
        return '<p class="empty" id="no-live-calls">No call in progress.</p>'
    shown = snap.live_calls[:MAX_ROWS_SHOWN]
    hidden = snap.live_calls_total - len(shown)
    more = f'<p class="empty">and {hidden:,} more (longest calls listed first)</p>' if hidden > 0 else ""
    return (
        "<table><thead><tr><th>call</th><th>stage</th><th>duration</th><th>last turn latency</th>"
        "<th>turns</th><th>socket</th><th>prompt</th></tr></thead><tbody>"
        + "".join(_live_row(row) for row in shown)
        + "</tbody></table>"
        + more
    )


def _bound(seconds: float | None, total: int, last_finite: float | None) -> str:
    if total == 0:
        return "–"
    if seconds is None:
        return f"> {_num(None if last_finite is None else last_finite * 1000, ' ms')}"
    return f"≤ {_num(seconds * 1000, ' ms')}"


def latency_panel(snap: OpsSnapshot) -> str:
    lat = snap.latency
    last = max((b for b in lat.upper_bounds_s if b is not None), default=None)
    by_kind = ", ".join(f"{kind} {sum(lat.counts_by_kind.get(kind, ()))}" for kind in LATENCY_KINDS)
    return (
        f"<p>{lat.total:,} turns since the brain started ({escape(by_kind)}) · "
        f"median {_bound(lat.p50_s, lat.total, last)} · 95th percentile {_bound(lat.p95_s, lat.total, last)}</p>"
        + latency_chart(lat.upper_bounds_s, dict(lat.counts_by_kind))
    )


def outcomes_panel(snap: OpsSnapshot) -> str:
    out = snap.outcomes
    notes = []
    if out.unreadable:
        notes.append(f"{out.unreadable} unreadable record(s) skipped")
    if out.truncated:
        notes.append(f"counted the newest {out.files_seen:,} records only")
    rows = "".join(
        f'<tr data-record-id="{escape(r.call_id)}"><td>{escape(_clock(r.ended_at))}</td><td><code>{escape(r.call_id)}</code></td>'
        f"<td>{escape(r.outcome)}</td><td>{_duration(r.duration_s)}</td><td>{_ms(r.first_response_ms)}</td>"
        f"<td>{r.agent_turns}</td><td>{escape(r.close_reason or '–')}</td><td>{escape(r.prompt_version or '–')}</td></tr>"
        for r in out.recent
    )
    table = (
        "<table><thead><tr><th>ended (UTC)</th><th>call</th><th>outcome</th><th>duration</th><th>first response</th>"
        f"<th>agent turns</th><th>close</th><th>prompt</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else '<p class="empty">No call record yet.</p>'
    )
    finished = ", ".join(f"{escape(k)} {v}" for k, v in sorted(snap.calls_finished_by_reason.items())) or "none"
    return (
        f"<h3>Outcomes today ({escape(out.day)} UTC, from call records)</h3>"
        + bar_chart(out.counts, "Outcomes today")
        + (f'<p class="empty">{escape("; ".join(notes))}</p>' if notes else "")
        + f"<p>Calls finished by this process, by close reason: {finished}</p>"
        + "<h3>Most recent calls</h3>"
        + table
    )


def prompts_panel(snap: OpsSnapshot) -> str:
    p = snap.prompts
    error = f'<p class="error">{escape(p.published_error)}</p>' if p.published_error else ""
    pinned = (
        "".join(f"<li><code>{escape(k)}</code>: {v} live call(s)</li>" for k, v in p.pinned_on_live_calls.items())
        or "<li>no live call</li>"
    )
    split = ""
    if p.ab_weights:
        total = sum(p.ab_weights.values()) or 1.0
        shares = ", ".join(f"<code>{escape(k)}</code> {v / total:.0%}" for k, v in sorted(p.ab_weights.items()))
        split = f'<p id="ab-split">A/B split of new calls: {shares}</p>'
    return (
        f'<p>Published for new calls: <code id="published-prompt">{escape(p.published_version)}</code></p>'
        + split
        + error
        + f"<p>Pinned on calls in progress:</p><ul>{pinned}</ul>"
    )


def panels(snap: OpsSnapshot) -> dict[str, str]:
    """Panel id → its HTML (the page shell and the JSON refresh use the same strings)."""
    return {
        "panel-summary": summary_panel(snap),
        "panel-latency": latency_panel(snap),
        "panel-prompts": prompts_panel(snap),
        "panel-live": live_panel(snap),
        "panel-outcomes": outcomes_panel(snap),
    }


_WIDE = {"panel-live": ' class="wide"', "panel-outcomes": ' class="wide"'}
_TITLES = {
    "panel-summary": "Now",
    "panel-live": "Live calls",
    "panel-latency": "First-response latency (request read → first chunk written)",
    "panel-outcomes": "Outcomes",
    "panel-prompts": "Prompt versions",
}


def _document(title: str, nonce: str, body: str, *, with_script: bool) -> str:
    script = f'<script nonce="{nonce}">{_SCRIPT}</script>' if with_script else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="robots" content="noindex"><link rel="icon" href="data:,"><title>{escape(title)}</title>'
        f'<style nonce="{nonce}">{_STYLE}</style></head>{body}{script}</html>'
    )


def ops_page(snap: OpsSnapshot, nonce: str) -> str:
    sections = "".join(
        f'<section{_WIDE.get(pid, "")}><h2>{escape(_TITLES[pid])}</h2><div id="{pid}" class="scroll">{html}</div></section>'
        for pid, html in panels(snap).items()
    )
    body = (
        '<body data-state="fresh"><header><h1>Eve brain · operations</h1>'
        f'<span id="updated">updated {escape(snap.generated_at)}</span>'
        '<form method="post" action="/ops/logout"><button type="submit">Sign out</button></form></header>'
        f"<main>{sections}</main>"
        f"<noscript><p>Scripts are off: reload to refresh (the page refreshes itself every {REFRESH_S} s otherwise).</p></noscript>"
        "</body>"
    )
    return _document("Eve brain · operations", nonce, body, with_script=True)


def login_page(nonce: str, message: str | None = None) -> str:
    error = f'<p class="error" id="login-error">{escape(message)}</p>' if message else ""
    body = (
        '<body><form class="login" method="post" action="/ops/login" autocomplete="off">'
        "<h1>Eve brain · operations</h1>"
        f"{error}"
        '<label for="token">Operations token (BRAIN_OPS_TOKEN)</label>'
        '<input id="token" name="token" type="password" required maxlength="512" autofocus>'
        '<button type="submit">Sign in</button></form></body>'
    )
    return _document("Sign in · Eve operations", nonce, body, with_script=False)
