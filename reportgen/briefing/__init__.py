"""The briefing model: one province, one date, composed from the fact base."""
