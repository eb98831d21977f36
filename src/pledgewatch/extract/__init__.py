"""Extraction: a pure function from a document's text and date to stance records."""
from pledgewatch.extract.document import extract_document

__all__ = ["extract_document"]
