"""The compliance lines: the words no prompt version can change (plain words, grade ≤ 8).

Everything else the playbook says comes from the call's prompt version (`builtin-v1` by default,
`contracts/prompts/builtin-v1.json`; see `brain_service/conversation/script.py`). These lines are
the brain's own: the AI disclosure, the truthful answer to "are you a robot?", the do-not-call
closes and the promise not to call in a window the caller named. `vocabulary.prompt_versions`
refuses a version that tries to set one of them (`COMPLIANCE_LINES`).
"""

from __future__ import annotations

DISCLOSURE = "I'm an AI assistant."

# No "yes"/"no": the same words answer "are you a robot?" and "am I talking to a real person?".
AI_ANSWER = "I'm an AI assistant, not a person, calling for {company}."
AI_ANSWER_REPEAT = "I'm an AI, not a person."

DNC_CLOSE = "Understood. I'll make sure we don't call you again. Goodbye."
DNC_REPEAT_CLOSE = "Sure, we won't call again. Bye."

CALLBACK_WINDOW_NOTED = "Got it, we won't call {time}."
