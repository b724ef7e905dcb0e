"""Helpers of the journeys domain: text signals over caller lines, and the n8n outcome push."""
