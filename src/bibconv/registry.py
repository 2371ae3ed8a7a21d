"""Readers and writers as plugins, and content-based format detection.

A plugin declares its name, aliases and extensions once.  The registry finds
plugins in three places, searched in this order:

1. runtime registrations (``Registry.register_reader``), for tests and embedding;
2. the built-in format packages (:data:`BUILTIN_PACKAGES`), each declaring its
   formats in a light ``__init__.py`` (:class:`FormatInfo`: names, extensions,
   and dotted paths to the reader, the writer and a light sniff function), so
   detection imports the sniffers only and a conversion the two plugins it uses;
3. the entry-point groups ``bibconv.readers`` and ``bibconv.writers``, so a
   third-party package can add a format without touching bibconv (its class
   attributes declare it; the class is loaded when the registry looks at it).

Detection scores every reader's ``sniff`` on the first 8 KiB and refuses to
guess when the best two are close, naming them (a wrong guess silently turns
a bibliography into garbage; an error costs the user one ``-f``).  A weak best
score is accepted when it is the only plausible format family (any content
score or a claimed extension): refusing is for real competition only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from bibconv.diagnostics import Diagnostic, Severity
from bibconv.errors import AmbiguousFormatError, UnknownFormatError
from bibconv.ir import Record

__all__ = [
    "BUILTIN_PACKAGES",
    "Candidate",
    "ChunkResult",
    "DeclaredReader",
    "DeclaredWriter",
    "ForAnyPlugin",
    "FormatInfo",
    "KeyedStreamWriter",
    "LastChunk",
    "NoOptions",
    "Options",
    "OptionsArg",
    "ReadResult",
    "Reader",
    "Registry",
    "SinglePassReader",
    "StreamPlan",
    "StreamWriter",
    "StreamingReader",
    "StreamingWriter",
    "UnknownOptionError",
    "WriteResult",
    "Writer",
    "declared_formats",
    "declares",
    "default_registry",
    "keeps_all",
    "load_path",
    "make_options",
    "nothing_read",
    "option_fields",
]

T = TypeVar("T")

SNIFF_BYTES = 8192
#: The best candidate must reach this score …
MIN_SCORE = 0.5
#: … and lead the runner-up by this much, or detection refuses to choose.
MIN_LEAD = 0.15
#: A file name whose extension a reader claims adds this to its score.
EXTENSION_BONUS = 0.2


@dataclass(slots=True)
class ReadResult:
    """What a reader returns: the records and everything it noticed."""

    records: list[Record] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class WriteResult(str):
    """The written text, as a ``str``, carrying the writer's diagnostics.

    A ``str`` subclass so ``bibconv.write(...)`` can be used as text directly,
    while loss reports stay available as ``.diagnostics``.
    """

    diagnostics: list[Diagnostic]

    def __new__(cls, text: str, diagnostics: Sequence[Diagnostic] = ()) -> WriteResult:
        obj = super().__new__(cls, text)
        obj.diagnostics = list(diagnostics)
        return obj


@runtime_checkable
class Reader(Protocol):
    """Text in one format → records.  Pure: no I/O, no printing, never raises on bad input."""

    name: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]]
    extensions: ClassVar[tuple[str, ...]]
    description: ClassVar[str]

    # Optional: ``Options: ClassVar[type[Options]]``, the typed options (see
    # :func:`make_options`); ``read`` then receives an instance of it.
    # Optional: ``dialect_of: ClassVar[str]`` names the base format this reader is a
    # dialect of (biblatex → bibtex); detection never calls the two ambiguous.
    # Optional: ``plan(source: BlockSource, *, file, options) -> StreamPlan`` reads a
    # file block by block (see bibconv.stream); readers without it are read whole.

    def sniff(self, head: str) -> float:
        """How likely ``head`` (≤ 8 KiB) is this format, 0.0–1.0; linear time, never raises."""
        ...

    def read(self, text: str, *, file: str | None = None, options: Any = None) -> ReadResult:
        """Parse ``text``; problems become diagnostics, and every other record is still read."""
        ...


@runtime_checkable
class Writer(Protocol):
    """Records → text in one format."""

    name: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]]
    extensions: ClassVar[tuple[str, ...]]
    description: ClassVar[str]
    #: Variables (CSL names, plus ``extra`` and ``truncated``) the format round-trips.
    carries: ClassVar[frozenset[str]]
    #: True when variables outside ``carries`` are kept in a catch-all field.
    #: A writer whose catch-all is opt-in (BibTeX, RIS: ``lossless``) also has
    #: ``catch_all_option``, the option that turns it on (see :func:`keeps_all`).
    catch_all: ClassVar[bool]

    def write(self, records: Sequence[Record], *, options: Any = None) -> WriteResult:
        """Serialise ``records``; what cannot be carried is reported, never dropped silently."""
        ...

    # Optional: ``stream(*, options) -> StreamWriter`` writes chunk by chunk (see
    # bibconv.stream); writers that need all records at once (sorting, unique keys)
    # leave it out and get every record in one ``write`` call.


@dataclass(frozen=True, slots=True, kw_only=True)
class FormatInfo:
    """One built-in format as its package declares it in ``__init__.py`` (``FORMATS``).

    The one place a format's name, aliases, extensions and description are
    written: the registry reads these without importing the reader or writer,
    and the plugin classes take them from here (:class:`DeclaredReader`,
    :class:`DeclaredWriter`).  ``reader``/``writer`` are ``"module:Class"``
    paths, ``sniff`` a ``"module:function"`` path to a light module (``re`` and
    the standard library only) so detection imports no reader.
    """

    name: str
    description: str
    aliases: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    reader: str | None = None
    writer: str | None = None
    sniff: str | None = None
    #: The base format this one is a dialect of (biblatex → bibtex): never called ambiguous with it.
    dialect_of: str | None = None
    #: The writer's own description, when it says something else than the reader's.
    writer_description: str | None = None


class _Declared:
    """What a built-in plugin takes from its package's :class:`FormatInfo` (``info``).

    A subclass sets ``info``; name, aliases, extensions, description and
    ``dialect_of`` are filled in here, so nothing is written twice.
    """

    info: ClassVar[FormatInfo]
    name: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]]
    extensions: ClassVar[tuple[str, ...]]
    description: ClassVar[str]
    dialect_of: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        info = cls.__dict__.get("info")
        if info is not None:
            cls.name, cls.aliases, cls.extensions = info.name, info.aliases, info.extensions
            cls.description, cls.dialect_of = cls._description(info), info.dialect_of

    @staticmethod
    def _description(info: FormatInfo) -> str:
        return info.description


class DeclaredReader(_Declared):
    """Base of the built-in readers; ``sniff`` calls the light function the declaration names."""

    def sniff(self, head: str) -> float:
        """How likely ``head`` is this format (the declared sniff function)."""
        if self.info.sniff is None:
            return 0.0
        return float(load_path(self.info.sniff)(head))


class DeclaredWriter(_Declared):
    """Base of the built-in writers; the description is the writer's own when it has one."""

    @staticmethod
    def _description(info: FormatInfo) -> str:
        return info.writer_description or info.description


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """Base of every plugin's typed options (a frozen dataclass per reader or writer).

    Why typed: an options dictionary accepted anything, so a misspelled name
    (``style`` written ``stlye``) was silently ignored and the user got
    another output than asked for.  A plugin declares ``Options: ClassVar[type]``,
    a subclass of this with one documented field per option (the help text in
    ``field(metadata={"help": ...})``); :func:`make_options` builds it from what
    the caller gave and refuses unknown names.  ``bibconv formats NAME`` lists
    the fields.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class NoOptions(Options):
    """The options of a plugin that takes none."""


#: What a plugin's ``read``/``write``/``plan``/``stream`` accepts as ``options``: its
#: typed options, a mapping of option names (checked by :func:`make_options`) or None.
OptionsArg = Options | Mapping[str, Any] | None


class UnknownOptionError(TypeError):
    """An option the plugin does not declare (a ``TypeError``, as for a wrong keyword argument)."""

    def __init__(self, message: str, plugin: str, unknown: Sequence[str]) -> None:
        super().__init__(message)
        self.plugin = plugin
        self.unknown = list(unknown)


class ForAnyPlugin(dict[str, Any]):
    """Options meant for whichever plugin declares them; :func:`make_options` drops the rest.

    For callers that hold one set of options for inputs of formats not yet
    known (the CLI's ``--reference-date`` applies to the listing inputs among
    files whose formats are detected one by one).  A plain mapping stays
    strict: a name the plugin does not declare is an error.
    """


def option_fields(plugin: type[Any]) -> list[Any]:
    """The ``dataclasses.Field`` objects of a plugin's options (empty for none or an untyped plugin)."""
    from dataclasses import fields, is_dataclass

    cls = getattr(plugin, "Options", None)
    return list(fields(cls)) if cls is not None and is_dataclass(cls) else []


def make_options(plugin: type[Any], given: Options | Mapping[str, Any] | None) -> Any:
    """``plugin``'s typed options from ``given``; unknown names raise :class:`UnknownOptionError`.

    ``given`` may already be the plugin's options object (returned as is), a
    mapping of option names, or None (the defaults).  A third-party plugin
    that declares no ``Options`` gets the mapping unchanged, as before typed
    options existed.
    """
    cls = getattr(plugin, "Options", None)
    if cls is None:  # an untyped third-party plugin: the mapping as before
        return dict(given) if isinstance(given, Mapping) else given
    if isinstance(given, cls):
        return given
    if given is None:
        return cls()
    if isinstance(given, Options):
        raise TypeError(f"{type(given).__name__} are not options of {plugin.name!r}; expected {cls.__name__}")
    known = [f.name for f in option_fields(plugin)]
    if isinstance(given, ForAnyPlugin):
        return cls(**{k: v for k, v in given.items() if k in known})
    unknown = [k for k in given if k not in known]
    if unknown:
        import difflib

        hints = []
        for k in unknown:
            close = difflib.get_close_matches(k, known, n=1)
            hints.append(f"{k!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        what = ", ".join(known) if known else "none"
        raise UnknownOptionError(
            f"{plugin.name} has no option {', '.join(hints)}; its options: {what}", plugin.name, unknown
        )
    return cls(**given)


@runtime_checkable
class StreamingReader(Protocol):
    """A reader that can read a file block by block (see :mod:`bibconv.stream`)."""

    def plan(self, source: Any, *, file: str | None, options: Any) -> StreamPlan:
        """The plan of independent blocks for ``source`` (a :class:`bibconv.blocks.BlockSource`)."""
        ...


@runtime_checkable
class SinglePassReader(Protocol):
    """A streaming reader that can also prove a file valid while reading it, in one pass.

    Why: a reader whose blocks must be proven valid before any is read (so
    that a broken file gets exactly the whole read's diagnostics) pays for a
    pre-scan.  A caller in one process that can take back what it wrote
    skips it: the plan's ``jobs`` raise :class:`bibconv.blocks.NotStreamable`
    when the file turns out unfit, and the caller then discards its output
    and reads the file whole.  The jobs need not be picklable.
    """

    def single_pass(self, source: Any, *, file: str | None, options: Any) -> StreamPlan:
        """The one-pass plan for ``source`` (a :class:`bibconv.blocks.BlockSource`)."""
        ...


@runtime_checkable
class StreamingWriter(Protocol):
    """A writer that can write chunk by chunk (head + bodies + tail)."""

    def stream(self, *, options: Any) -> StreamWriter:
        """The pieces of the output for ``options``."""
        ...


def declares(plugin: type[Any], name: str) -> bool:
    """True when ``plugin`` takes the option ``name``.

    Callers that hold an option for many formats (``api.write``'s
    ``lossless``, the CLI's ``--unicode``) ask this before passing it, since a
    typed plugin refuses names it does not declare.  A third-party plugin
    without an ``Options`` class is assumed to take anything, as before.
    """
    if getattr(plugin, "Options", None) is None:
        return True
    return any(f.name == name for f in option_fields(plugin))


def keeps_all(writer: Any, options: Options | Mapping[str, Any] | None) -> bool:
    """True when ``writer`` with ``options`` keeps what ``carries`` lacks in a catch-all.

    The loss report (BC205 kept vs BC204 dropped) asks this, not ``catch_all`` alone.
    The option's default is the writer's own (``lossless`` is off, ``catch_all`` on).
    """
    option = getattr(writer, "catch_all_option", None)
    if option is None:
        return bool(writer.catch_all)
    opts = make_options(type(writer), options)
    if isinstance(opts, Mapping):  # an untyped third-party writer
        return bool(opts.get(option, False))
    return bool(getattr(opts, option, False))


@dataclass(slots=True)
class ChunkResult:
    """One block's records and diagnostics, plus reader-specific ``facts``.

    ``facts`` are what a streaming reader must see across blocks (keys for
    duplicate checks, counts for summaries); :meth:`StreamPlan.fold` takes
    them in file order.  Everything here is picklable, so blocks can be read
    in worker processes (``-j``).
    """

    records: list[Record] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    facts: Any = None


@runtime_checkable
class StreamPlan(Protocol):
    """How a streaming reader reads one file: independent jobs, folded in order.

    ``process`` must depend only on the plan and the job (it may run in a
    forked worker); cross-block checks belong in ``fold`` and ``finish``.

    Optional: a ``cut`` attribute (a :data:`bibconv.blocks.Cut`) says where the
    plan's jobs end when they are the blocks of ``BlockSource.blocks(cut)``;
    then the public chunk plan (:func:`bibconv.plan`) names them by byte range
    and the plan object itself (picklable) travels with each chunk.
    """

    def jobs(self) -> Iterator[Any]:
        """The units of work (blocks), in file order."""
        ...

    def process(self, job: Any) -> ChunkResult:
        """Read one job into records."""
        ...

    def fold(self, result: ChunkResult) -> list[Diagnostic]:
        """Take one result's facts, in file order; diagnostics found across blocks."""
        ...

    def finish(self) -> list[Diagnostic]:
        """Diagnostics known only at the end (summaries)."""
        ...


@runtime_checkable
class StreamWriter(Protocol):
    """A writer's output as ``head + body(chunk) + sep + body(chunk) + … + tail``.

    ``body`` is a pure function of its records (so it can run in a worker);
    the whole output for no records at all is ``empty``.  For any split of
    the records into non-empty chunks the joined text equals ``Writer.write``.
    """

    head: str
    sep: str
    tail: str
    empty: str

    def body(self, records: Sequence[Record]) -> WriteResult:
        """The text of these records (no head, separator or tail)."""
        ...

    # Optional: ``renames_ids = False`` asks the caller to make ids unique across
    # chunks (``bibconv.keys.KeyAllocator``), as ``write`` does over a whole list;
    # a writer whose keys live in another domain is a :class:`KeyedStreamWriter`.


class LastChunk(Generic[T]):
    """What a stream writer made of each record of its last chunk, by record object.

    Why: the stream driver writes a chunk, then, when some of its ids repeat
    an earlier chunk's, writes it again with those records renamed (new
    objects; the rest are the very same objects).  A writer that keeps its
    per-record output here makes only the renamed records again.  On the
    jgrey corpus most chunks have a repeated key, and rewriting them whole
    was 8% of a BibTeX → CSL-JSON conversion.
    """

    __slots__ = ("_last",)

    def __init__(self) -> None:
        self._last: dict[int, tuple[Record, T]] = {}

    def __reduce__(self) -> tuple[type[LastChunk[T]], tuple[()]]:
        """Pickled empty: a stream sent to a worker with each job must not carry a chunk along.

        (Record ids are object ids of this process, meaningless in another anyway.)
        """
        return (type(self), ())

    def make(self, records: Sequence[Record], one: Callable[[Record], T]) -> list[T]:
        """``one(r)`` for each record, taken from the last chunk for a record object seen there."""
        last: dict[int, tuple[Record, T]] = self._last
        done: dict[int, tuple[Record, T]] = {}
        out: list[T] = []
        for r in records:
            seen = last.get(id(r))
            value = seen[1] if seen is not None and seen[0] is r else one(r)
            done[id(r)] = (r, value)
            out.append(value)
        self._last = done
        return out

    def get(self, record: Record) -> T | None:
        """What the last chunk made of ``record`` (this very object), or None."""
        seen = self._last.get(id(record))
        return seen[1] if seen is not None and seen[0] is record else None


@runtime_checkable
class KeyedStreamWriter(StreamWriter, Protocol):
    """A :class:`StreamWriter` whose keys are not the record ids as they are.

    BibTeX compares keys ignoring case and generates a key where the id is not
    a usable one, so the caller allocates unique keys in the writer's own
    domain: ``keys`` gives the keys a chunk asks for, ``rekey`` puts the
    allocated ones on the records (with one BC211 per changed key).
    """

    def keys(self, records: Sequence[Record]) -> list[str]:
        """The keys ``records`` ask for, in the domain uniqueness is decided in."""
        ...

    def rekey(self, records: Sequence[Record], keys: Sequence[str]) -> tuple[list[Record], list[Diagnostic]]:
        """``records`` under the allocated ``keys``, and a BC211 for each key that changed."""
        ...


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reader's claim on an input, for ``detect()`` and its error messages."""

    name: str
    score: float
    reason: str


def nothing_read(
    reader: str, records: int, nonblank: bool, diagnostics: Sequence[Diagnostic], file: str | None
) -> Diagnostic | None:
    """BC121 when a reader found no record in an input that is not blank, else None.

    Why one function for every reader: a reader given a file of another
    format (``-f ris`` on a Web of Science export) usually finds nothing it
    recognises and reports nothing, and ``[]`` with exit 0 looks like success.
    Every caller that runs a reader (``read``, streaming, ``validate``) asks
    here, so no reader can forget.  An input the reader already called empty
    (BC005), or that already has an error, needs no second word.
    """
    if records or not nonblank or any(d.code == "BC005" or d.severity >= Severity.ERROR for d in diagnostics):
        return None
    return Diagnostic.make(
        "BC121",
        f"no records were read: the input is not empty, but the {reader} reader found no record "
        "in it (is it another format? name it with -f/--from)",
        file=file,
    )


#: The built-in format packages.  Each declares its formats in its light
#: ``__init__.py`` as ``FORMATS`` (:class:`FormatInfo` records); the reader,
#: writer and sniffer modules they name are imported only when used, so
#: detecting the format of a file imports the sniffers alone, and a conversion
#: imports the one reader and the one writer it uses.
BUILTIN_PACKAGES: tuple[str, ...] = (
    "bibconv.formats.bibtex",
    "bibconv.formats.csljson",
    "bibconv.formats.ris",
    "bibconv.formats.listing",
    "bibconv.formats.formatted",
    "bibconv.formats.wos",
    "bibconv.formats.nbib",
    "bibconv.formats.endnote",
    "bibconv.formats.cslyaml",
    "bibconv.formats.mods",
    "bibconv.formats.endnote_xml",
    "bibconv.formats.pubmed_xml",
    "bibconv.formats.wordbib",
)


def load_path(path: str) -> Any:
    """The attribute named by ``"module:attr"`` (importing the module the first time)."""
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)


@dataclass(slots=True)
class _Entry:
    """What the registry knows of one reader or writer before (or without) importing it."""

    name: str
    aliases: tuple[str, ...]
    extensions: tuple[str, ...]
    dialect_of: str | None
    path: str | None = None  # "module:Class" of a built-in, imported when first used
    cls: type[Any] | None = None
    sniff_path: str | None = None  # "module:function" of a built-in reader's light sniffer

    @classmethod
    def of_class(cls, plugin: type[Any]) -> _Entry:
        return cls(
            str(plugin.name),
            tuple(plugin.aliases),
            tuple(plugin.extensions),
            getattr(plugin, "dialect_of", None),
            cls=plugin,
        )

    def load(self) -> type[Any]:
        if self.cls is None:
            assert self.path is not None
            self.cls = load_path(self.path)
        return self.cls

    def sniff(self, head: str) -> float:
        if self.sniff_path is not None:
            return float(load_path(self.sniff_path)(head))
        return float(self.load()().sniff(head))


def declared_formats(package: str) -> tuple[FormatInfo, ...]:
    """The ``FORMATS`` a format package declares in its ``__init__.py``."""
    formats: tuple[FormatInfo, ...] = tuple(importlib.import_module(package).FORMATS)
    return formats


class Registry:
    """Finds readers and writers by name, alias or extension, and detects formats."""

    def __init__(
        self,
        builtin_readers: Mapping[str, str] | None = None,
        builtin_writers: Mapping[str, str] | None = None,
        *,
        use_entry_points: bool = True,
        packages: Sequence[str] | None = None,
    ) -> None:
        """``packages`` replaces :data:`BUILTIN_PACKAGES`; ``builtin_readers``/``builtin_writers``
        (``{name: "module:Class"}``, ``{}`` for none) replace the packages' readers or writers."""
        self._packages = tuple(BUILTIN_PACKAGES if packages is None else packages)
        self._override = {"readers": builtin_readers, "writers": builtin_writers}
        self._builtins: dict[str, dict[str, _Entry]] | None = None
        self._runtime: dict[str, dict[str, type[Any]]] = {"readers": {}, "writers": {}}
        self._use_entry_points = use_entry_points
        self._tables: dict[str, dict[str, _Entry]] | None = None
        self.diagnostics: list[Diagnostic] = []

    # -- registration -------------------------------------------------
    def register_reader(self, cls: type[Any]) -> None:
        """Add a reader class at run time; it wins over built-ins of the same name."""
        self._runtime["readers"][cls.name] = cls
        self._tables = None

    def register_writer(self, cls: type[Any]) -> None:
        """Add a writer class at run time; it wins over built-ins of the same name."""
        self._runtime["writers"][cls.name] = cls
        self._tables = None

    # -- discovery ----------------------------------------------------
    def _builtin(self, kind: str) -> dict[str, _Entry]:
        """The built-in entries of one kind, from the packages' declarations (no plugin imported)."""
        if self._builtins is None:
            tables: dict[str, dict[str, _Entry]] = {"readers": {}, "writers": {}}
            for package in self._packages:
                for info in declared_formats(package):
                    common = (info.name, info.aliases, info.extensions, info.dialect_of)
                    if info.reader is not None:
                        tables["readers"][info.name] = _Entry(
                            *common, path=info.reader, sniff_path=info.sniff
                        )
                    if info.writer is not None:
                        tables["writers"][info.name] = _Entry(*common, path=info.writer)
            for k, override in self._override.items():
                if override is not None:  # explicit tables (tests, embedding): classes loaded now
                    tables[k] = {name: _Entry.of_class(load_path(path)) for name, path in override.items()}
            self._builtins = tables
        return self._builtins[kind]

    def _all(self, kind: str) -> dict[str, _Entry]:
        if self._tables is None:
            self._tables = {"readers": self._discover("readers"), "writers": self._discover("writers")}
        return self._tables[kind]

    def _discover(self, kind: str) -> dict[str, _Entry]:
        found: dict[str, _Entry] = {}
        builtin = self._builtin(kind)
        if self._use_entry_points:
            from importlib.metadata import entry_points  # 20 ms: only when plugins are looked for

            for ep in entry_points(group=f"bibconv.{kind}"):
                if ep.name in builtin:
                    self.diagnostics.append(
                        Diagnostic.make(
                            "BC010",
                            f"entry point {ep.name!r} ({ep.value}) clashes with the built-in "
                            f"{kind[:-1]}; the built-in is used",
                        )
                    )
                    continue
                try:
                    found[ep.name] = _Entry.of_class(ep.load())
                except Exception as exc:  # a broken third-party plugin must not break bibconv
                    self.diagnostics.append(
                        Diagnostic.make("BC011", f"plugin {ep.name!r} failed to load: {exc}")
                    )
        found.update(builtin)
        found.update({name: _Entry.of_class(cls) for name, cls in self._runtime[kind].items()})
        return found

    def names(self, kind: str) -> list[str]:
        """Primary names of the readers (``kind='readers'``) or writers."""
        return sorted(self._all(kind))

    def classes(self, kind: str) -> list[type[Any]]:
        """Every plugin class of one kind, sorted by name (this imports them all)."""
        table = self._all(kind)
        return [table[n].load() for n in sorted(table)]

    def _entry(self, kind: str, name: str) -> _Entry:
        key = name.lower()
        # Fast path: a primary built-in name needs neither entry points nor other plugins.
        if self._tables is None and key not in self._runtime[kind] and key in self._builtin(kind):
            return self._builtin(kind)[key]
        table = self._all(kind)
        if key in table:
            return table[key]
        for entry in table.values():
            if key in entry.aliases:
                return entry
        known = ", ".join(self.names(kind))
        raise UnknownFormatError(f"no {kind[:-1]} for format {name!r}; known: {known}")

    def _lookup(self, kind: str, name: str) -> type[Any]:
        return self._entry(kind, name).load()

    def plugin_class(self, kind: str, name: str) -> type[Any]:
        """The class of the reader (``kind='readers'``) or writer called ``name`` or an alias of it."""
        return self._lookup(kind, name)

    def reader(self, name: str) -> Reader:
        """An instance of the reader called ``name`` (or one of its aliases)."""
        reader: Reader = self._lookup("readers", name)()
        return reader

    def writer(self, name: str) -> Writer:
        """An instance of the writer called ``name`` (or one of its aliases)."""
        writer: Writer = self._lookup("writers", name)()
        return writer

    def writer_for_extension(self, filename: str) -> str | None:
        """The writer whose extension matches ``filename``, or None (see :meth:`writers_for_extension`)."""
        names = self.writers_for_extension(filename)
        return names[0] if names else None

    def writers_for_extension(self, filename: str) -> list[str]:
        """Every writer claiming ``filename``'s extension, the one to choose first.

        Several writers may claim one extension (BibTeX and BibLaTeX both
        write ``.bib``).  The base format comes first and its dialects (writers
        with ``dialect_of``) after it, as when reading: a ``.bib`` file is read
        by BibTeX's rules unless its content is clearly BibLaTeX, so ``-o
        x.bib`` writes BibTeX too, the file both BibTeX and Biber accept.
        """
        lower = filename.lower()
        table = self._all("writers")
        found = [table[n] for n in sorted(table) if any(lower.endswith(e) for e in table[n].extensions)]
        found.sort(key=lambda entry: entry.dialect_of is not None)
        return [entry.name for entry in found]

    # -- detection ----------------------------------------------------
    def detect(self, text: str, filename: str | None = None) -> list[Candidate]:
        """Score every reader on ``text``; best first.  Never raises.

        Built-in readers are scored by their light sniff functions: no reader
        module is imported to detect a format.
        """
        head = text[:SNIFF_BYTES]
        lower = (filename or "").lower()
        out: list[Candidate] = []
        table = self._all("readers")
        for name in sorted(table):
            entry = table[name]
            try:
                score = entry.sniff(head)
            except Exception as exc:  # a sniffer bug is reported as a zero score
                out.append(Candidate(name, 0.0, f"sniffer failed: {exc}"))
                continue
            reason = f"content scored {score:.2f}"
            if lower and any(lower.endswith(ext) for ext in entry.extensions):
                score = min(1.0, score + EXTENSION_BONUS)
                reason += " + extension"
            out.append(Candidate(name, round(score, 3), reason))
        out.sort(key=lambda c: (-c.score, c.name))
        return out

    def _family(self, name: str) -> str:
        """The base format a reader is a dialect of (its ``dialect_of``), or its own name."""
        entry = self._all("readers").get(name)
        return str((entry.dialect_of if entry is not None else None) or name)

    def _lone_plausible(self, ranked: list[Candidate]) -> str | None:
        """The best reader when it is the only plausible family, else None.

        A weak score alone is no reason to refuse: a ``.bib`` file whose entries
        a sniffer does not recognise is still BibTeX when no other reader claims
        any of it.  Refusing is right only when two formats really compete, so
        one family with any score (content or extension) decides.
        """
        plausible = [c for c in ranked if c.score > 0]
        if not plausible:
            return None
        families = {self._family(c.name) for c in plausible}
        if len(families) != 1:
            return None
        (family,) = families
        tied = [c.name for c in plausible if c.score == plausible[0].score]
        return family if family in tied else plausible[0].name  # the base format on a tie

    def choose_reader(self, text: str, filename: str | None = None) -> str:
        """The one reader that clearly fits, or an error naming the candidates."""
        ranked = self.detect(text, filename)
        if ranked and ranked[0].score < MIN_SCORE:
            lone = self._lone_plausible(ranked)
            if lone is not None:
                return lone
        if not ranked or ranked[0].score < MIN_SCORE:
            top = ", ".join(f"{c.name} ({c.score:.2f})" for c in ranked[:3])
            raise UnknownFormatError(
                f"could not detect the input format (best: {top or 'none'}); name it with -f/--from"
            )
        family = self._family(ranked[0].name)
        close = [c for c in ranked[1:] if ranked[0].score - c.score < MIN_LEAD]
        # Dialects of one family (bibtex/biblatex) are not rivals: each reads the
        # other's files, so the better-scoring dialect is a safe choice.
        close = [c for c in close if self._family(c.name) != family]
        if close:
            close.insert(0, ranked[0])
            names = ", ".join(f"{c.name} ({c.score:.2f})" for c in close)
            raise AmbiguousFormatError(
                f"the input format is ambiguous between {names}; name it with -f/--from",
                [(c.name, c.score) for c in close],
            )
        return ranked[0].name


_DEFAULT: Registry | None = None


def default_registry() -> Registry:
    """The process-wide registry (built-ins plus installed entry points)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Registry()
    return _DEFAULT
