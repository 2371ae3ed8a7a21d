"""BibTeX/BibLaTeX internals: a linear lexer, @string macros, and the CSL mapping tables."""
