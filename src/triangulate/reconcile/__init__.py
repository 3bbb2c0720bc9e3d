"""Reconcile: one record per incident with every source's values, corroboration, contradictions and claims."""
