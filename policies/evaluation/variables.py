"""Policy variables: `${key}` placeholders resolved from the request context.

Implements "IAM policy elements: Variables and tags"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):

- variables are only recognised under ``"Version": "2012-10-17"``; under
  2008-10-17 (or with no Version) ``${...}`` is literal text (the caller checks
  the version, this module only substitutes);
- ``${*}``, ``${?}`` and ``${$}`` stand for the literal characters ``*``, ``?``
  and ``$`` (a literal ``*`` is not a wildcard);
- ``${key, 'default'}`` gives a default when the key is absent;
- a key that is absent (or multivalued) with no default leaves the variable
  unresolved: the caller treats the whole value as matching nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_DEFAULT_FORM = re.compile(r"^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$")
_SPECIALS = {"*": "*", "?": "?", "$": "$"}

ContextValue = str | tuple[str, ...]


def has_variables(text: str) -> bool:
    """True when `text` contains a ``${...}`` placeholder."""
    return "${" in text and _VARIABLE.search(text) is not None


def referenced_keys(text: str) -> tuple[str, ...]:
    """The context keys (as written) that `text` refers to through variables."""
    keys = []
    for match in _VARIABLE.finditer(text):
        body = match.group(1).strip()
        if body in _SPECIALS:
            continue
        default = _DEFAULT_FORM.match(body)
        keys.append(default.group(1) if default else body)
    return tuple(keys)


def _glob_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")


def substitute(
    text: str, context: Mapping[str, ContextValue], *, glob: bool = False
) -> str | None:
    """Replace every ``${...}`` in `text` from `context` (keys lower-cased).

    Returns None when a variable cannot be resolved (see "If there is no value
    for a policy variable" on the page above). With ``glob=True`` the result is
    an escaped wildcard pattern: text that came from a variable (and literal
    backslashes) is escaped with ``\\`` so that :func:`matching.compile_glob`
    with ``escaped=True`` treats it literally, while ``*``/``?`` written in the
    policy stay wildcards."""
    out: list[str] = []
    pos = 0
    for match in _VARIABLE.finditer(text):
        raw = text[pos : match.start()]
        out.append(raw.replace("\\", "\\\\") if glob else raw)
        pos = match.end()
        body = match.group(1).strip()
        value: str | None
        if body in _SPECIALS:
            value = _SPECIALS[body]
        else:
            default = _DEFAULT_FORM.match(body)
            key, fallback = (default.group(1), default.group(2)) if default else (body, None)
            found = context.get(key.lower())
            value = found if isinstance(found, str) else fallback
            if value is None:
                return None
        out.append(_glob_escape(value) if glob else value)
    tail = text[pos:]
    out.append(tail.replace("\\", "\\\\") if glob else tail)
    return "".join(out)
