"""Whole-chain runs: ingest, extract, link, reconcile."""
