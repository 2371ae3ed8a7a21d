"""CSL-YAML (pandoc's ``references:``) → records, with lines for every item.

PyYAML is imported only when a file is read, and only ``safe`` loading is
used: no Python objects, no tags beyond YAML's core schema.  Aliases are
counted before anything is built, so a document whose aliases expand to
millions of nodes is refused instead of hanging.  A Markdown file whose
front matter holds ``references:`` is read too (the first ``---`` block).
"""

from __future__ import annotations

import datetime
import re
from typing import Any, ClassVar

from bibconv.diagnostics import Diagnostic
from bibconv.formats.cslyaml import CSLYAML_INFO
from bibconv.formats.cslyaml.mapping import MAX_NODES, REFERENCES_KEY, yaml_module
from bibconv.registry import DeclaredReader, FormatInfo, NoOptions, OptionsArg, ReadResult, make_options

__all__ = ["CslYamlReader", "Reader"]

_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


def _front_matter(text: str) -> tuple[str, int]:
    """The YAML to parse and how many lines precede it in the file."""
    if not text.startswith("---"):
        return text, 0
    first_break = text.find("\n")
    if first_break < 0:
        return "", 0
    end = _FENCE.search(text, first_break + 1)
    body = text[first_break + 1 : end.start()] if end else text[first_break + 1 :]
    return body, 1


def _expanded_size(node: Any, memo: dict[int, int], depth: int = 0) -> int:
    """Nodes the document has with every alias expanded, computed without expanding."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = MAX_NODES + 1  # a cycle counts as too large
    if depth > 200:
        return memo[key]
    size = 1
    value = node.value
    if isinstance(value, list):
        for child in value:
            if isinstance(child, tuple):
                size += _expanded_size(child[0], memo, depth + 1) + _expanded_size(child[1], memo, depth + 1)
            else:
                size += _expanded_size(child, memo, depth + 1)
            if size > MAX_NODES:
                break
    memo[key] = size
    return size


def _repeated_keys(root: Any) -> list[Any]:
    """Key nodes that repeat an earlier key of the same mapping, in document order.

    YAML forbids a repeated key, but PyYAML keeps the last value without a word;
    listing them turns that silent loss into a diagnostic.  The walk is iterative
    and visits each node once, so aliases and cycles cost nothing extra.
    """
    found: list[Any] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        value = node.value
        if not isinstance(value, list):
            continue
        if node.id == "mapping":
            keys: set[str] = set()
            for key, child in value:
                if key.id == "scalar" and key.value != "<<":
                    if key.value in keys:
                        found.append(key)
                    keys.add(key.value)
                stack.append(key)
                stack.append(child)
        else:
            stack.extend(value)
    found.sort(key=lambda k: (k.start_mark.line, k.start_mark.column))
    return found


def _plain(value: Any) -> Any:
    """YAML's extra scalar types as CSL-JSON has them (dates as ISO text, keys as text)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class CslYamlReader(DeclaredReader):
    """Reads CSL-YAML (``references:`` list, alone or as Markdown front matter)."""

    info: ClassVar[FormatInfo] = CSLYAML_INFO

    Options: ClassVar[type[NoOptions]] = NoOptions

    def read(self, text: str, *, file: str | None = None, options: OptionsArg = None) -> ReadResult:
        """Parse the YAML, then each item as a CSL-JSON item with its line."""
        make_options(type(self), options)  # takes none: refuses any
        from bibconv.formats.csljson.reader import item_to_record
        from bibconv.keys import unique_keys

        result = ReadResult()
        diags = result.diagnostics
        if not text or text.isspace():  # not text.strip(): that copies the whole text
            diags.append(Diagnostic.make("BC005", "input is empty", file=file))
            return result
        yaml = yaml_module()
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        body, offset = _front_matter(text)
        parser = loader(body)  # one parse: the node tree gives lines, then the data is built from it
        try:
            node = parser.get_single_node()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 + offset if mark is not None else None
            column = mark.column + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            diags.append(
                Diagnostic.make("BC137", f"YAML syntax error: {problem}", file=file, line=line, column=column)
            )
            return result
        except RecursionError:
            diags.append(Diagnostic.make("BC137", "YAML nesting is too deep", file=file))
            return result
        finally:
            parser.dispose()
        if node is None:
            diags.append(Diagnostic.make("BC138", "YAML document has no references list", file=file))
            return result
        if _expanded_size(node, {}) > MAX_NODES:
            diags.append(
                Diagnostic.make(
                    "BC139", f"YAML aliases expand to more than {MAX_NODES} nodes; not read", file=file
                )
            )
            return result
        for key in _repeated_keys(node):
            diags.append(
                Diagnostic.make(
                    "BC144",
                    f"key {key.value!r} is repeated; the earlier value is ignored",
                    file=file,
                    line=key.start_mark.line + 1 + offset,
                    column=key.start_mark.column + 1,
                )
            )
        try:
            data = _plain(parser.construct_document(node))
        except (yaml.YAMLError, RecursionError, ValueError) as exc:
            diags.append(Diagnostic.make("BC137", f"YAML could not be loaded: {exc}", file=file))
            return result
        items_node: Any = node
        if isinstance(data, dict):
            items = data.get(REFERENCES_KEY)
            # the last such key is the one whose value the mapping kept (merged keys come first)
            items_node = next((v for k, v in reversed(node.value) if k.value == REFERENCES_KEY), None)
        else:
            items = data
        if not isinstance(items, list) or items_node is None or items_node.id != "sequence":
            line = node.start_mark.line + 1 + offset
            diags.append(
                Diagnostic.make("BC138", "YAML document has no references list", file=file, line=line)
            )
            return result
        built = []
        for n, (item, item_node) in enumerate(zip(items, items_node.value, strict=False), start=1):
            line = item_node.start_mark.line + 1 + offset
            column = item_node.start_mark.column + 1
            if not isinstance(item, dict):
                diags.append(
                    Diagnostic.make(
                        "BC140", f"item {n} is not a mapping; skipped", file=file, line=line, column=column
                    )
                )
                continue
            try:
                built.append(
                    item_to_record(
                        item, diagnostics=diags, file=file, line=line, column=column, fallback_id=f"item{n}"
                    )
                )
            except (ValueError, TypeError, RecursionError) as exc:
                diags.append(
                    Diagnostic.make("BC117", f"item {n} could not be read: {exc}", file=file, line=line)
                )
        keys = unique_keys(r.id for r in built)
        for record, key in zip(built, keys, strict=True):
            if key != record.id:
                line = record.span.line if record.span else None
                diags.append(
                    Diagnostic.make(
                        "BC211",
                        f"id {record.id!r} is used twice; this one became {key!r}",
                        file=file,
                        line=line,
                        record_id=key,
                    )
                )
                record = record.evolve(id=key)
            result.records.append(record)
        return result


Reader = CslYamlReader
