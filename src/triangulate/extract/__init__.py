"""Extractors that read structured facts (times, places, actors, counts) out of cleaned document text."""

# Written with every mention and extraction row; bump it when extraction's output changes meaning.
EXTRACTOR_VERSION = "2"
