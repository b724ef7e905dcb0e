"""The conversation factory the app holds: settings, the prompt store and one shared Gemini client.

`ConversationRuntime` is everything a `PlaybookConversation` shares with the other calls of the
process; `new_call(call_id)` pins the active prompt version for that call.
"""

from __future__ import annotations

from brain_service.conversation.call import PlaybookConversation
from brain_service.conversation.call_details import CallDetails
from brain_service.conversation.policy import PersonaContext
from brain_service.llm.client import GeminiStreamer, build_streamer
from brain_service.prompts import PromptStore
from brain_service.settings import BrainSettings


class ConversationRuntime:
    def __init__(self, settings: BrainSettings, streamer: GeminiStreamer | None = None) -> None:
        self.settings = settings
        self.prompts = PromptStore(settings.data_dir)
        self.streamer = streamer if streamer is not None else build_streamer(settings)

    def persona_context(self, details: CallDetails) -> PersonaContext:
        s = self.settings
        return PersonaContext(
            persona=s.agent_persona_name,
            company=s.agent_company_name,
            business=details.business_name,
            contact=details.contact_name,
            disclose_at_start=s.agent_disclose_ai_at_start,
            voicemail_message=s.agent_voicemail_message,
            max_turns=s.agent_max_turns,
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
        return PlaybookConversation(call_id, self.runtime, self.runtime.prompts.current())
