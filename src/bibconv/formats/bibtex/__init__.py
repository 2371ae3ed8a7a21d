"""BibTeX/BibLaTeX internals: the one scanner (a linear lexer, with source spans on request),
@string macros, and the CSL mapping tables."""
