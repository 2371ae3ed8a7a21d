"""Formatted bibliographies (text, HTML, Markdown) from bibconv's own CSL processor, as writers."""
