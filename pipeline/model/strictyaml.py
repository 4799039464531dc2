"""Strict YAML: safe types only, no duplicate keys, tags, anchors or aliases; dates stay text.

Every value keeps the line and column where it was written, so a later check (the JSON
Schema, the SOP) can point at it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from pipeline.errors import LamanError, Problem

Path_ = tuple[str | int, ...]
_STR = "tag:yaml.org,2002:str"


# Dates and times stay strings: the schema checks their form and article.py reads them in WIB,
# instead of PyYAML guessing a naive datetime. A lone `=` and a lone `<<` (YAML 1.1's "value" and
# "merge" tags, which no safe constructor builds as a value) are strings too, as in YAML 1.2.
_KEPT_AS_TEXT = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value", "tag:yaml.org,2002:merge")


def _keeping_text(resolvers: dict) -> dict:
    return {
        first: [(tag, rx) for tag, rx in entries if tag not in _KEPT_AS_TEXT]
        for first, entries in resolvers.items()
    }


class _TextDatesResolver(yaml.resolver.Resolver):
    yaml_implicit_resolvers = _keeping_text(yaml.SafeLoader.yaml_implicit_resolvers)


class _PureLoader(yaml.SafeLoader):
    """The pure-Python loader: slower, but it sees anchors and explicit tags as written."""

    yaml_implicit_resolvers = _TextDatesResolver.yaml_implicit_resolvers

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused("YAML004", event.start_mark)
        tag = getattr(event, "tag", None)
        if tag is not None and not isinstance(event, yaml.DocumentStartEvent):
            raise _Refused("YAML003", event.start_mark, tag=tag)
        return super().compose_node(parent, index)


_FastBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# With no path resolvers a scalar's tag depends on its kind, text and style alone, and front
# matter repeats its keys and many of its values from one file to the next.
_tag = lru_cache(maxsize=4096)(_TextDatesResolver().resolve)


# What a plain scalar cannot start with: YAML's indicators.
INDICATORS = "-?:,[]{}#&*!|>'\"%@`"


def plain_text(value: str) -> bool:
    """Does this unquoted scalar read as text, as the loaders here read it (not as null, a
    boolean or a number)?"""
    return _tag(yaml.ScalarNode, value, (True, False)) == _STR


class _FastLoader(_FastBase):  # type: ignore[misc, valid-type]
    yaml_implicit_resolvers = _TextDatesResolver.yaml_implicit_resolvers
    # The C composer asks once per node: the cache itself answers, with no call in between
    # (measured: 110 µs a front matter, then 93).
    resolve = staticmethod(_tag)


class _Refused(Exception):
    def __init__(self, code: str, mark: Any, **args: object) -> None:
        super().__init__(code)
        self.code = code
        self.mark = mark
        self.args_ = args


@dataclass(frozen=True)
class Loaded:
    """A parsed document and where each of its keys and values stands (1-based)."""

    data: Any
    values: Mapping[Path_, tuple[int, int]]
    keys: Mapping[Path_, tuple[int, int]]

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The nearest known position of `path`, walking up to its parents if needed."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))


def load(text: str, file: str, *, first_line: int = 1) -> Loaded:
    """Parse `text` strictly. `first_line` is the file line where `text` begins.

    Raises LamanError with every duplicate key found, or with the first syntax error.
    """
    if text.startswith("\ufeff"):
        raise LamanError([Problem("FM003", file, first_line, 1)])
    _bound_size(text, file, first_line)
    read = _plain_lines(text, first_line)
    return read if read is not None else parsed(text, file, first_line=first_line)


def parsed(text: str, file: str, *, first_line: int = 1) -> Loaded:
    """`text` as PyYAML's loaders read it, whatever its form (`load` reads most front matter
    itself)."""
    _bound_size(text, file, first_line)
    _bound_depth(text, file, first_line)
    # The C parser is several times faster but hides anchors and tags; only text that could
    # hold one goes through the pure-Python loader.
    suspicious = "&" in text or "*" in text or "!" in text
    loader = None
    try:
        loader = (_PureLoader if suspicious else _FastLoader)(text)  # the pure one reads it all here
        node = loader.get_single_node()
    except _Refused as refused:
        line, col = _pos(refused.mark, first_line)
        raise LamanError([Problem(refused.code, file, line, col, refused.args_)]) from None
    except yaml.reader.ReaderError as err:
        raise LamanError([_character_problem(err, text, file, first_line)]) from None
    except yaml.MarkedYAMLError as err:
        raise LamanError([_syntax_problem(err, text, file, first_line)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return Loaded(None, {(): (first_line, 1)}, {})
    walk = _Walk(loader, file, first_line)
    data = walk.value(node, ())
    if walk.problems:
        raise LamanError(walk.problems)
    return Loaded(data, walk.values, walk.keys)


# The loaders' composers recurse once or twice a level (500 nested lists end in RecursionError,
# 50,000 open brackets crash libyaml): what they are given is bounded first. The policy files and
# front matter nest five levels at most, and stay far below the size.
MAX_DEPTH = 32
MAX_SIZE = 256 * 1024
_OPENS = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken, yaml.BlockSequenceStartToken)
_OPENS += (yaml.BlockMappingStartToken,)
_CLOSES = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def _bound_size(text: str, file: str, first_line: int) -> None:
    if len(text) > MAX_SIZE:
        raise LamanError([Problem("YAML011", file, first_line, 1, {"size": len(text), "most": MAX_SIZE})])


def _bound_depth(text: str, file: str, first_line: int) -> None:
    """Refuse text nested deeper than MAX_DEPTH, before a loader composes it. Few brackets and
    little indentation cannot nest deep; other text is measured by the scanner alone, which reads
    tokens in a loop (no recursion: only the composers recurse) and stops at the level too many.
    The C scanner when there is one: 1 ms for sop.yml, where the pure-Python one takes 28."""
    shallow = MAX_DEPTH // 2
    # A line's lead: its indentation with the compact `- ` and `? ` entries it opens.
    if text.count("[") + text.count("{") <= shallow and all(
        len(line) - len(line.lstrip(" -?")) <= shallow // 2 for line in text.split("\n")
    ):
        return
    depth = 0
    try:
        for token in yaml.scan(text, Loader=_FastBase):
            if isinstance(token, _CLOSES):
                depth -= 1
            elif isinstance(token, _OPENS):
                depth += 1
                if depth > MAX_DEPTH:
                    line, col = _pos(token.start_mark, first_line)
                    raise LamanError(
                        [Problem("YAML010", file, line, col, {"depth": depth, "most": MAX_DEPTH})]
                    )
    except yaml.YAMLError:
        return  # the loaders say what is wrong, at the same place, no deeper than this


def _pos(mark: Any, first_line: int) -> tuple[int, int]:
    return mark.line + first_line, mark.column + 1


def _character_problem(err: yaml.reader.ReaderError, text: str, file: str, first_line: int) -> Problem:
    """A character YAML does not take (a control character, often pasted from a word processor).
    The C reader counts its position in bytes, the pure one in characters: the character itself
    is found instead, the first of its kind being where the reader stopped."""
    at = max(text.find(chr(err.character)), 0)
    line = text.count("\n", 0, at) + first_line
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return Problem("YAML007", file, line, column, {"code": f"U+{err.character:04X}"})


def _syntax_problem(err: yaml.MarkedYAMLError, text: str, file: str, first_line: int) -> Problem:
    mark = err.problem_mark
    lines = text.split("\n")
    if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        return Problem("YAML005", file, *_pos(mark, first_line))
    # Where the broken construct began (an open quote, a bracket) helps more than where the
    # parser gave up, often the end of the text.
    mark = err.context_mark or mark
    line, col = _pos(mark, first_line) if mark else (first_line, 1)
    return Problem("YAML001", file, line, col, {"detail": err.problem or ""})


class _Walk:
    """One pass over the composed nodes: refuse what strict YAML refuses, note where each key and
    value stands, and build the value (safe scalars only) in the same pass."""

    def __init__(self, loader: Any, file: str, first_line: int) -> None:
        self.constructors = loader.yaml_constructors
        self.loader = loader
        self.file = file
        self.first_line = first_line
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def value(self, node: Any, path: Path_) -> Any:
        if id(node) in self.seen:  # the C parser turns an alias into the same node object
            self.problems.append(Problem("YAML004", self.file, *_pos(node.start_mark, self.first_line)))
            return None
        self.seen.add(id(node))
        self.values[path] = _pos(node.start_mark, self.first_line)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                return node.value
            return self.constructors[node.tag](self.loader, node)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, index)) for index, item in enumerate(node.value)]
        mapping: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line, col = _pos(key_node.start_mark, self.first_line)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                self.problems.append(Problem("YAML006", self.file, line, col))
                continue
            key = key_node.value
            if key in first_seen:
                self.problems.append(
                    Problem("YAML002", self.file, line, col, {"key": key, "first": first_seen[key]})
                )
                continue
            first_seen[key] = line
            self.keys[(*path, key)] = (line, col)
            mapping[key] = self.value(value_node, (*path, key))
        return mapping


# Front matter as the template writes it (`key: value` lines, nested mappings, flow lists and
# mappings on one line) is read line by line, in half the C loader's time (measured: 156 µs a
# front matter, then 71; with each distinct line read once, 44 where it was 75). Only what it reads
# exactly as the loaders above do is read so: at any other line, character or construct it gives
# up, and the loaders read the whole text.
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_KEY_LINE = re.compile(rf"( *)({_KEY.pattern}):(?: +(.*[^ ]))? *")
# Line ends to YAML but `\n`, the characters it refuses, tabs and carriage returns; and what could
# be an anchor, an alias or a tag, which only the pure-Python loader sees.
_UNREAD = re.compile(
    "[^\n\x20\x22-\x25\x27-\x29\x2b-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_IN_FLOW = re.compile(r"[,\[\]{}#:'\"]")  # what would end or nest a plain scalar in a flow
# First characters no implicit resolver looks at: a plain scalar starting with one is text.
_RESOLVED_FIRST = frozenset(
    first for first, found in _TextDatesResolver.yaml_implicit_resolvers.items() if found
)
_CONSTRUCT = yaml.constructor.SafeConstructor()


class GivenUp(Exception):
    """Not read here: the loaders read the whole text."""


def _plain_lines(text: str, first_line: int) -> Loaded | None:
    if _UNREAD.search(text) is not None:
        return None
    values: dict[Path_, tuple[int, int]] = {}
    keys: dict[Path_, tuple[int, int]] = {}
    levels: list[tuple[int, dict[str, Any], Path_]] = []  # (indent, mapping, path), innermost last
    opened: Path_ | None = ()  # a key with nothing after it: its mapping starts on the next line
    for number, line in enumerate(text.split("\n"), first_line):
        read = _line(line)
        if read is None:
            return None
        if read is _BLANK:
            continue
        indent, key, column, value, items = read
        if opened is not None:
            if levels and indent <= levels[-1][0]:
                return None  # the key before has no value, a null
            mapping: dict[str, Any] = {}
            if levels:
                levels[-1][1][opened[-1]] = mapping
            levels.append((indent, mapping, opened))
            values[opened] = (number, indent + 1)
            opened = None
        elif indent != levels[-1][0]:
            while len(levels) > 1 and indent < levels[-1][0]:
                levels.pop()
            if indent != levels[-1][0]:
                return None
        _, mapping, path = levels[-1]
        if key in mapping:
            return None  # a repeated key: the loaders say so
        at = (*path, key)
        keys[at] = (number, indent + 1)
        if column is None:
            opened = at
            continue
        values[at] = (number, column)
        if items is None:
            mapping[key] = value
        elif value == "[":
            mapping[key] = [item for _, _, _, item in items]
            for index, (_, _, start, _) in enumerate(items):
                values[(*at, index)] = (number, start)
        else:
            mapping[key] = {inner: item for inner, _, _, item in items}
            for inner, key_start, start, _ in items:
                keys[(*at, inner)] = (number, key_start)
                values[(*at, inner)] = (number, start)
    if opened is not None:
        return None
    return Loaded(levels[0][1], values, keys)


_BLANK = ("blank or comment",)


@lru_cache(maxsize=8192)  # front matter repeats most of its lines from one file to the next
def _line(line: str) -> tuple[Any, ...] | None:
    """One line as the line reader takes it: `_BLANK`; or (indent, key, the value's column, the
    value, its flow items) with a column of None for a key alone, and items (key, key column,
    value column, value) for a flow collection, whose value is then its opening `[` or `{`; or
    None where the loaders must read the text."""
    match = _KEY_LINE.fullmatch(line)
    if match is None:
        stripped = line.lstrip(" ")
        return _BLANK if not stripped or stripped[0] == "#" else None
    key, value = match[2], match[3]
    if not _text_key(key):
        return None
    indent = len(match[1])
    if not value:
        return indent, key, None, None, None
    column = match.start(3) + 1
    try:
        if value[0] in "[{":
            return indent, key, column, value[0], _flow(value, column)
        return indent, key, column, scalar(value, flow=False), None
    except GivenUp:
        return None


def _text_key(key: str) -> bool:
    return key[0] not in _RESOLVED_FIRST or plain_text(key)


def _flow(text: str, column: int) -> tuple[tuple[str | None, int | None, int, Any], ...]:
    """The items of a flow list or mapping of scalars on one line, which starts at `column`."""
    closing = "]" if text[0] == "[" else "}"
    if text[-1] != closing:
        raise GivenUp
    inner = text[1:-1]
    items: list[tuple[str | None, int | None, int, Any]] = []
    if not inner.strip(" "):
        return ()
    at = column + 1
    for piece in inner.split(","):
        item = piece.lstrip(" ")
        start = at + len(piece) - len(item)
        at += len(piece) + 1
        item = item.rstrip(" ")
        if closing == "]":
            items.append((None, None, start, scalar(item, flow=True)))
            continue
        key, colon, rest = item.partition(": ")
        value = rest.lstrip(" ")
        if not colon or _KEY.fullmatch(key) is None or not _text_key(key) or any(key == k for k, *_ in items):
            raise GivenUp  # a repeated key, or one that is not text: the loaders say which
        items.append((key, start, start + len(key) + 2 + len(rest) - len(value), scalar(value, flow=True)))
    return tuple(items)


def scalar(text: str, *, flow: bool = False) -> Any:
    """A value written on one line (`text`, without the spaces around it) as the loaders read it:
    quoted with nothing to unescape, or plain; GivenUp where only the loaders can say. (The check's
    peek asks it too, of the lines it reads.)"""
    first = text[:1]
    if first == '"' or first == "'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != first or first in inner or (first == '"' and "\\" in inner):
            raise GivenUp
        return inner
    if not first or first in INDICATORS or ": " in text or " #" in text or text[-1] == ":":
        raise GivenUp
    if flow and _IN_FLOW.search(text) is not None:
        raise GivenUp
    if first not in _RESOLVED_FIRST:
        return text
    tag = _tag(yaml.ScalarNode, text, (True, False))
    if tag == _STR:
        return text
    return _CONSTRUCT.yaml_constructors[tag](_CONSTRUCT, yaml.ScalarNode(tag, text))
