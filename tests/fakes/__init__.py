"""Local fake servers speaking the real wire formats: Gemini (SSE), the Retell API, and their loopback host."""
