"""Pure text rules of the CSL processor: rich-text runs, text case, numbers, names, dates, punctuation.

Every function here is side-effect free and independent of the style model, so the
processor core calls them with plain values (strings, tuples, callbacks for locale
terms) and each rule can be tested against the CSL specification on its own.
"""
