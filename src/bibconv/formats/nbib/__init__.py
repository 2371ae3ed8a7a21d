"""MEDLINE / PubMed tagged format (``.nbib``: ``PMID-``, ``FAU -``, ``AU  -``, …)."""
