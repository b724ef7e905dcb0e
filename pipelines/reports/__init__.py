"""Rendering for operators: markdown previews of warehouse tables and the revenue-ops report."""
