"""Readers: each turns one input (file, feed, URL list) into RawDocument or Rejection records."""

from triangulate.ingest.readers.base import READERS, FieldMap, ReadContext, Reader, reader_for

__all__ = ["READERS", "FieldMap", "ReadContext", "Reader", "reader_for"]
