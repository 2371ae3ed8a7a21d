"""Formats as one-folder plugins: ``formats/<name>/`` holds a format's whole knowledge.

Each package has the same shape, so a format is one folder plus one line in
:data:`bibconv.registry.BUILTIN_PACKAGES`:

* ``__init__.py`` — the declaration, ``FORMATS``: one
  :class:`bibconv.registry.FormatInfo` per format (names, extensions and
  the dotted paths of the reader, the writer and the sniffer), light, so the
  registry reads it without importing any plugin;
* ``sniff.py`` — detection, ``re`` and the standard library only;
* ``mapping.py`` — the one two-way table (tags or elements ↔ CSL variables
  and types) that both directions read, so they cannot drift apart;
* ``reader.py`` — the reader (its name and sniffer from the declaration);
* ``writer.py`` — the writer (absent for read-only formats).

Shared machinery for families of formats lives beside them: :mod:`.tagged`
for line-tagged formats (Web of Science, MEDLINE, EndNote refer).
"""
