"""BibTeX/BibLaTeX internals: the one scanner (a linear lexer, with source spans on request),
@string macros, and the CSL mapping tables."""

from __future__ import annotations

from bibconv.registry import FormatInfo

__all__ = ["BIBLATEX_INFO", "BIBTEX_INFO", "FORMATS"]

BIBTEX_INFO = FormatInfo(
    name="bibtex",
    description="BibTeX .bib files (classic entry types; BibLaTeX fields understood too)",
    aliases=("bib",),
    extensions=(".bib",),
    reader="bibconv.formats.bibtex.reader:BibtexReader",
    writer="bibconv.formats.bibtex.writer:BibtexWriter",
    sniff="bibconv.formats.bibtex.sniff:sniff_bibtex",
    writer_description="BibTeX .bib (classic types; LaTeX-escaped; keys kept or generated)",
)

BIBLATEX_INFO = FormatInfo(
    name="biblatex",
    description="BibLaTeX .bib files (Biber's data model)",
    extensions=(".bib",),
    reader="bibconv.formats.bibtex.reader:BibLatexReader",
    writer="bibconv.formats.bibtex.writer:BibLatexWriter",
    sniff="bibconv.formats.bibtex.sniff:sniff_biblatex",
    dialect_of="bibtex",
    writer_description="BibLaTeX .bib for Biber (EDTF dates; --unicode keeps UTF-8)",
)

#: What this package adds to the registry (see bibconv.registry.BUILTIN_PACKAGES).
FORMATS = (BIBTEX_INFO, BIBLATEX_INFO)
