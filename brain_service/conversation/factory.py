"""The conversation factory the app holds: settings, the prompt store and one shared Gemini client.

`ConversationRuntime` is everything a `PlaybookConversation` shares with the other calls of the
process; `new_call(call_id)` pins the call's prompt version (the active one, or its A/B share by
a stable hash of the call id) and resolves the call's script (one wording per line).
"""

from __future__ import annotations

from brain_service.conversation.call import PlaybookConversation
from brain_service.conversation.call_details import CallDetails
from brain_service.conversation.policy import BUILTIN_SCRIPT, PersonaContext
from brain_service.conversation.script import CallScript
from brain_service.llm.client import GeminiStreamer, build_streamer
from brain_service.prompts import PromptStore
from brain_service.settings import BrainSettings


class ConversationRuntime:
    def __init__(self, settings: BrainSettings, streamer: GeminiStreamer | None = None) -> None:
        self.settings = settings
        self.prompts = PromptStore(settings.data_dir)
        self.streamer = streamer if streamer is not None else build_streamer(settings)

    def persona_context(self, details: CallDetails, script: CallScript = BUILTIN_SCRIPT) -> PersonaContext:
        s = self.settings
        # the operator's AGENT_VOICEMAIL_MESSAGE wins once changed; by default the version's line speaks
        voicemail = None if s.agent_voicemail_message == BUILTIN_SCRIPT.say("voicemail") else s.agent_voicemail_message
        return PersonaContext(
            persona=s.agent_persona_name,
            company=s.agent_company_name,
            business=details.business_name,
            contact=details.contact_name,
            disclose_at_start=s.agent_disclose_ai_at_start,
            voicemail_message=voicemail,
            max_turns=s.agent_max_turns,
            script=script,
        )

    async def startup(self) -> None:
        """Create the Gemini client on the serving loop and warm the SDK before the first call."""
        start = getattr(self.streamer, "start", None)
        if start is not None:
            await start()

    async def shutdown(self) -> None:
        close = getattr(self.streamer, "aclose", None)
        if close is not None:
            await close()


class PlaybookConversationFactory:
    def __init__(self, settings: BrainSettings, streamer: GeminiStreamer | None = None) -> None:
        self.runtime = ConversationRuntime(settings, streamer)

    async def startup(self) -> None:
        """Called by the app before it accepts calls."""
        await self.runtime.startup()

    async def shutdown(self) -> None:
        await self.runtime.shutdown()

    def new_call(self, call_id: str) -> PlaybookConversation:
        prompt = self.runtime.prompts.current().for_call(call_id)
        return PlaybookConversation(call_id, self.runtime, prompt, CallScript.for_call(prompt.document, call_id))
