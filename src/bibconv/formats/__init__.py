"""Formats as one-folder plugins: ``formats/<name>/`` holds a format's whole knowledge.

Each package has the same shape, so a format is one folder plus one line in
:data:`bibconv.registry.BUILTIN_FORMATS`:

* ``mapping.py`` — the one two-way table (tags or elements ↔ CSL variables
  and types) that both directions read, so they cannot drift apart;
* ``reader.py`` — ``Reader``: parsing, plus ``sniff`` (detection);
* ``writer.py`` — ``Writer`` (absent for read-only formats).

Shared machinery for families of formats lives beside them: :mod:`.tagged`
for line-tagged formats (Web of Science, MEDLINE, EndNote refer).
"""
