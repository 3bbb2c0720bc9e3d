"""Extractors that read structured facts (times, places, actors, counts) out of cleaned document text."""
