"""What the model sees for one turn: system instruction + the conversation so far.

System instruction = the pinned prompt version (rendered with persona, company, the clinic's and
the contact's names from `call_details`) + the instruction for this reply, decided by the
deterministic layer (`Decision.model_goal`). The transcript maps agent -> "model", user -> "user";
other roles are skipped; consecutive lines of one role are merged; only the last lines are sent.
"""

from __future__ import annotations

from brain_service.conversation_contract import Utterance

MAX_TRANSCRIPT_LINES = 16
MAX_LINE_CHARS = 600


def system_instruction(prompt_text: str, goal: str, example: str) -> str:
    return (
        f"{prompt_text}\n\nInstruction for this reply: {goal}\n"
        f'Say it in at most two short sentences. A reply like this is fine: "{example}"'
    )


def build_contents(transcript: tuple[Utterance, ...]) -> str:
    """The conversation as the text of ONE user content: "Caller: ..." / "You: ..." lines, newest last.

    Plain text keeps google-genai's types out of the conversation; the streamer sends it as a
    single `Content` with one part (not a one-item list), which keeps google-genai's per-request
    validation and conversion cheap: measured 132 µs for a lean single content vs 566 µs for a
    one-item list and ~700 µs for a list of plain `types.Content` (the request JSON is identical).
    """
    lines = []
    for role, text in _turns(transcript):
        lines.append(("You: " if role == "model" else "Caller: ") + text)
    lines.append("You:")
    return "\n".join(lines)


def _turns(transcript: tuple[Utterance, ...]) -> list[tuple[str, str]]:
    turns: list[tuple[str, str]] = []
    for entry in transcript[-MAX_TRANSCRIPT_LINES:]:
        role = {"agent": "model", "user": "user"}.get(entry.role)
        text = (entry.content or "").strip()[:MAX_LINE_CHARS]
        if role is None or not text:
            continue
        if turns and turns[-1][0] == role:
            turns[-1] = (role, turns[-1][1] + " " + text)
        else:
            turns.append((role, text))
    if not turns or turns[-1][0] != "user":
        turns.append(("user", "(the caller is quiet)"))
    return turns
