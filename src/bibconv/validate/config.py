"""Which codes validate reports, at which severity: ``[tool.bibconv]`` in pyproject.toml.

::

    [tool.bibconv]
    select = ["BC"]                 # code prefixes to report (default: everything)
    ignore = ["BC310", "BC301"]     # prefixes to leave out (added to the defaults)
    model = "biblatex"              # required-fields data model: bibtex, biblatex, none
    [tool.bibconv.severity]
    BC302 = "error"                 # make a warning fail the check (or "warning", "info")

A ``[tool.bibconv.validate]`` table, when present, is read instead of
``[tool.bibconv]``, for projects that configure other commands there too;
unknown settings in it are an error (a typo must not silently do nothing),
while ``[tool.bibconv]`` may hold other commands' settings.

Prefix matching: the longest matching prefix among ``select`` and ``ignore``
decides (a tie goes to ``ignore``), so ``ignore = ["BC3"]`` with
``select = ["BC302"]`` reports BC302 alone of the BC3xx codes.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bibconv.diagnostics import Diagnostic, Severity

__all__ = ["DEFAULT_IGNORE", "Config", "ConfigError", "find_config", "load_config", "parse_codes"]

#: Mapping notes (BC2xx) are about conversion, not about the file being wrong;
#: BC106 is the reader's duplicate-key warning, which BC300 supersedes with both lines.
DEFAULT_IGNORE: tuple[str, ...] = ("BC2", "BC106")
MODELS = ("bibtex", "biblatex", "none")
_CODE_PREFIX = re.compile(r"[A-Z]{1,4}\d{0,3}")


class ConfigError(ValueError):
    """The configuration (file or options) is invalid; the CLI exits with status 2."""


def parse_codes(values: Iterable[str] | str) -> tuple[str, ...]:
    """``"BC3, BC104"`` or ``["BC3", "BC104"]`` → ``("BC3", "BC104")``, upper-cased and checked."""
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        for part in re.split(r"[,\s]+", str(value).strip()):
            if not part:
                continue
            code = part.upper()
            if not _CODE_PREFIX.fullmatch(code):
                raise ConfigError(f"{part!r} is not a diagnostic code or prefix (like BC3 or BC302)")
            out.append(code)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Config:
    """The effective settings of one validate run."""

    select: tuple[str, ...] = ("BC",)
    ignore: tuple[str, ...] = DEFAULT_IGNORE
    severity: Mapping[str, Severity] = field(default_factory=dict)
    #: Required-fields data model; None picks by input format (bibtex → bibtex, else biblatex).
    model: str | None = None
    #: Where the settings came from (for ``--verbose`` and error messages).
    source: str | None = None

    def enabled(self, code: str) -> bool:
        """True when ``code`` is selected and not ignored (longest prefix wins)."""
        best_sel = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        best_ign = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return best_sel > best_ign

    def severity_of(self, d: Diagnostic) -> Severity:
        """The configured severity for a diagnostic (longest matching prefix), or its own."""
        matches = [p for p in self.severity if d.code.startswith(p)]
        return self.severity[max(matches, key=len)] if matches else d.severity

    def apply(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Drop what is not enabled and re-grade the rest."""
        out = []
        for d in diagnostics:
            if not self.enabled(d.code):
                continue
            sev = self.severity_of(d)
            out.append(d if sev == d.severity else replace(d, severity=sev))
        return out

    def with_options(self, select: Sequence[str] | None, ignore: Sequence[str] | None) -> Config:
        """Command-line ``--select`` replaces the configured list; ``--ignore`` extends it."""
        cfg = self
        if select:
            cfg = replace(cfg, select=parse_codes(select))
        if ignore:
            cfg = replace(cfg, ignore=cfg.ignore + parse_codes(ignore))
        return cfg


def _severity(value: Any, code: str) -> Severity:
    try:
        return Severity[str(value).upper()]
    except KeyError:
        raise ConfigError(f"severity of {code} must be error, warning or info, not {value!r}") from None


def from_table(table: Mapping[str, Any], source: str | None = None) -> Config:
    """A Config from a ``[tool.bibconv]`` table."""
    known = {"select", "ignore", "severity", "model"}
    if isinstance(table.get("validate"), Mapping):
        # The dedicated table is validate's alone: anything unknown there is a typo.
        table = table["validate"]
        unknown = sorted(set(table) - known)
        if unknown:
            where = f"{source or 'config'}: [tool.bibconv.validate]"
            word = "setting" if len(unknown) == 1 else "settings"
            raise ConfigError(f"{where}: unknown {word} {', '.join(unknown)}")
    # In [tool.bibconv] itself other commands may have settings; only validate's are read.
    sev_table = table.get("severity", {})
    if not isinstance(sev_table, Mapping):
        raise ConfigError("[tool.bibconv.severity] must be a table of CODE = severity")
    model = table.get("model")
    if model is not None and model not in MODELS:
        raise ConfigError(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    return Config(
        select=parse_codes(table.get("select", ["BC"])),
        ignore=DEFAULT_IGNORE + parse_codes(table.get("ignore", [])),
        severity={parse_codes(k)[0]: _severity(v, k) for k, v in sev_table.items()},
        model=model,
        source=source,
    )


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml with a ``[tool.bibconv]`` table, from ``start`` upwards."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError):
                continue
            if "bibconv" in data.get("tool", {}):
                return candidate
    return None


def load_config(path: str | Path | None = None, start: Path | None = None) -> Config:
    """Settings from ``path`` (a pyproject.toml), or the nearest one, or the defaults."""
    if path is None:
        found = find_config((start or Path.cwd()).resolve())
        if found is None:
            return Config()
        path = found
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {p}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p} is not valid TOML: {exc}") from None
    table = data.get("tool", {}).get("bibconv", {})
    if not isinstance(table, Mapping):
        raise ConfigError(f"{p}: [tool.bibconv] must be a table")
    return from_table(table, str(p))
