"""The conversation half of a call: what the agent says (contract: `brain_service/conversation_contract.py`).

* `policy`   — the deterministic layer and playbook stage machine (pure);
* `script`   — the call's script: its prompt version's wording of each line, and parameters;
* `lines`    — the compliance lines no version changes; `signals` — yes / no / callback / names;
* `state`    — per-call state; `call_details` — lead data from Retell's call object;
* `call`     — `PlaybookConversation` (model phrasing with deadlines, tools, call record);
* `factory`  — `build_conversation_factory(settings)`, the one entry point the app uses.
"""

from __future__ import annotations

from brain_service.conversation.factory import ConversationRuntime, PlaybookConversationFactory
from brain_service.settings import BrainSettings


def build_conversation_factory(settings: BrainSettings) -> PlaybookConversationFactory:
    return PlaybookConversationFactory(settings)


__all__ = ["ConversationRuntime", "PlaybookConversationFactory", "build_conversation_factory"]
