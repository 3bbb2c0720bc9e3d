"""Event records: triggers, roles, time, place, counts, claims, main versus background."""
