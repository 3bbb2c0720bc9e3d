"""Evaluation harnesses that score extractors against published gold corpora."""
