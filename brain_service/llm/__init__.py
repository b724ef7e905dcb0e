"""Gemini phrasing for the conversation: the google-genai async streaming client and its deadlines."""

from brain_service.llm.client import GeminiStreamer, build_streamer
from brain_service.llm.stream import ModelFailure, ModelTurn, stream_model_sentences

__all__ = ["GeminiStreamer", "ModelFailure", "ModelTurn", "build_streamer", "stream_model_sentences"]
