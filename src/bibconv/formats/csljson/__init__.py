"""CSL-JSON, the citeproc-js input format: reader and writer.

The IR is in CSL vocabulary, so the mapping is close to the identity; what is
left is coercion of wrongly typed values and the loss report.
"""
