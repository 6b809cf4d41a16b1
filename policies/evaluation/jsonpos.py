"""Where each element of a JSON document sits in its text.

The policy editor points at the offending token of a policy (line and column, both 1-based,
columns counted in characters), while ``json.loads`` only tells where a *syntax* error is.
This module scans a document that ``json.loads`` accepted and records, for every JSON path,
the offset of the value and, for object members, the offset of the key.

Paths are tuples of object keys (``str``) and array indexes (``int``), e.g.
``("Statement", 0, "Action", 1)``. A duplicated key keeps its last occurrence, as
``json.loads`` does. Columns count Python characters (code points), as ``json.JSONDecodeError``
does; a browser editor counting UTF-16 units differs only after characters outside the Basic
Multilingual Plane, which IAM policy documents cannot contain anyway. The scanner is iterative, so deeply nested input cannot exhaust the stack.
Pure Python, no I/O.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]  # public since Python 2.6, not in typeshed
from typing import Any

__all__ = ["Position", "PositionIndex", "format_path", "index_positions", "line_column"]

JsonPath = tuple[str | int, ...]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_:/\-*$@{}]+")
# Paths are tuples, so indexing a deep document costs depth**2; policies are a few levels deep.
MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Position:
    """A place in the text: 1-based line and column (in characters) and 0-based offset."""

    line: int
    column: int
    offset: int


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer(r"\r\n|\r|\n", text):
        starts.append(match.end())
    return starts


def line_column(text: str, offset: int, *, _starts: list[int] | None = None) -> Position:
    """Line and column of ``offset`` in ``text`` (clamped to the text)."""
    offset = max(0, min(offset, len(text)))
    starts = _starts if _starts is not None else _line_starts(text)
    line_index = bisect.bisect_right(starts, offset) - 1
    return Position(line=line_index + 1, column=offset - starts[line_index] + 1, offset=offset)


def format_path(path: JsonPath) -> str:
    """``("Statement", 0, "Action", 1)`` -> ``"Statement[0].Action[1]"``.

    Keys that are not plain (spaces, dots, brackets, quotes) are written as ``["key"]``.
    """
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_KEY.fullmatch(part):
            out.append(f".{part}" if out else part)
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
    return "".join(out)


class PositionIndex:
    """Offsets of values and keys by JSON path, with line/column conversion."""

    def __init__(self, text: str, values: dict[JsonPath, int], keys: dict[JsonPath, int],
                 duplicates: list[JsonPath] | None = None):
        self.text = text
        #: Paths of object members whose key repeats an earlier key of the same object.
        self.duplicates: list[JsonPath] = duplicates or []
        self._values = values
        self._keys = keys
        self._starts = _line_starts(text)

    def _position(self, offset: int) -> Position:
        return line_column(self.text, offset, _starts=self._starts)

    def value(self, path: JsonPath) -> Position | None:
        """Where the value at ``path`` starts, or None if there is no such path."""
        offset = self._values.get(tuple(path))
        return None if offset is None else self._position(offset)

    def key(self, path: JsonPath) -> Position | None:
        """Where the key of the object member at ``path`` starts (its opening quote)."""
        offset = self._keys.get(tuple(path))
        return None if offset is None else self._position(offset)

    def nearest(self, path: JsonPath, *, prefer_key: bool = False) -> Position:
        """The position of ``path``, or of its closest existing ancestor (the root at worst)."""
        path = tuple(path)
        while True:
            found = (self.key(path) or self.value(path)) if prefer_key else (
                self.value(path) or self.key(path)
            )
            if found is not None:
                return found
            if not path:
                return self._position(0)
            path = path[:-1]


def index_positions(text: str) -> PositionIndex:
    """Scan ``text`` (a JSON document) and index where every value and key starts.

    Meant for text that ``json.loads`` accepted; on anything else (or below ``MAX_DEPTH``
    levels) it stops quietly at the first surprise and returns what it indexed so far.
    """
    values: dict[JsonPath, int] = {}
    keys: dict[JsonPath, int] = {}
    duplicates: list[JsonPath] = []
    try:
        _scan(text, values, keys, duplicates)
    except (IndexError, ValueError):
        pass
    return PositionIndex(text, values, keys, duplicates)


def _skip(text: str, i: int) -> int:
    match = _WHITESPACE.match(text, i)
    return match.end() if match else i


def _read_key(
    text: str, i: int, frame: list[Any], keys: dict[JsonPath, int], duplicates: list[JsonPath]
) -> tuple[JsonPath, int]:
    """Read ``"key" :`` at ``i`` in the object of ``frame``; return the member's path and the
    offset of its value."""
    if text[i] != '"':
        raise ValueError("expected a key")
    key, end = scanstring(text, i + 1)
    path = (*frame[1], key)
    if key in frame[3]:
        duplicates.append(path)
    frame[3].add(key)
    keys[path] = i
    end = _skip(text, end)
    if text[end] != ":":
        raise ValueError("expected ':'")
    return path, _skip(text, end + 1)


def _scan(
    text: str, values: dict[JsonPath, int], keys: dict[JsonPath, int], duplicates: list[JsonPath]
) -> None:
    # Each frame is [is_object, path_of_container, index_of_current_child, keys_seen].
    stack: list[list[Any]] = []
    path: JsonPath = ()
    i = _skip(text, 0)
    while True:
        # A value starts at i.
        values[path] = i
        char = text[i]
        if char == "{":
            i = _skip(text, i + 1)
            if text[i] != "}":
                if len(stack) >= MAX_DEPTH:
                    raise ValueError("nested too deeply")
                stack.append([True, path, 0, set()])
                path, i = _read_key(text, i, stack[-1], keys, duplicates)
                continue
            i = _skip(text, i + 1)
        elif char == "[":
            i = _skip(text, i + 1)
            if text[i] != "]":
                if len(stack) >= MAX_DEPTH:
                    raise ValueError("nested too deeply")
                stack.append([False, path, 0, None])
                path = (*path, 0)
                continue
            i = _skip(text, i + 1)
        elif char == '"':
            _, end = scanstring(text, i + 1)
            i = _skip(text, end)
        else:
            match = _SCALAR.match(text, i)
            if not match:
                raise ValueError("expected a value")
            i = _skip(text, match.end())
        # The value is complete: close containers until one has a next member.
        while stack:
            frame = stack[-1]
            char = text[i]
            if char == ",":
                i = _skip(text, i + 1)
                frame[2] += 1
                if frame[0]:
                    path, i = _read_key(text, i, frame, keys, duplicates)
                else:
                    path = (*frame[1], frame[2])
                break
            if char in "}]":
                stack.pop()
                i = _skip(text, i + 1)
                continue
            raise ValueError("expected ',' or a closing bracket")
        else:
            return
