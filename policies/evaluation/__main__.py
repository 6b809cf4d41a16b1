"""``python -m policies.evaluation [FILE]``: evaluate JSON requests.

Reads one request object or a JSON list of them from FILE (stdin when absent)
and writes one JSON object per request, one per line, in order. Input that is
not one JSON document is read as one JSON value per line, so a malformed line
only fails its own request. See :mod:`policies.evaluation.jsonapi`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

from .jsonapi import error_result, evaluate_json_request


def iter_results(text: str) -> Iterator[dict[str, object]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if len(lines) <= 1:
            yield error_result(f"Invalid JSON: {exc.msg}", exc.lineno, exc.colno)
            return
        for n, line in lines:
            try:
                item = json.loads(line)
            except json.JSONDecodeError as line_exc:
                yield error_result(f"Invalid JSON: {line_exc.msg}", n, line_exc.colno)
                continue
            yield from _evaluate_value(item)
        return
    yield from _evaluate_value(data)


def _evaluate_value(data: object) -> Iterator[dict[str, object]]:
    if isinstance(data, list):
        for item in data:
            yield evaluate_json_request(item)
    else:
        yield evaluate_json_request(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policies.evaluation", description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", help="JSON file with one request or a list (default: stdin)")
    args = parser.parse_args(argv)
    if args.file:
        try:
            with open(args.file, encoding="utf-8-sig") as fh:
                text = fh.read()
        except OSError as exc:
            print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return 2
    else:
        text = sys.stdin.read()
    out = sys.stdout
    for result in iter_results(text):
        out.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
