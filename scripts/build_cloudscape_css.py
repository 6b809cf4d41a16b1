#!/usr/bin/env python3
"""Build static/css/cloudscape-tokens.css from Cloudscape's published npm packages.

The console's look follows AWS's Cloudscape design system. Rather than copying colour
values by hand, this script fetches two Apache-2.0 packages with ``npm pack`` into a
temporary folder outside the repository:

- ``@cloudscape-design/design-tokens``: ``index-visual-refresh.json`` holds every token
  with its value per mode (light/dark), density (comfortable/compact) and motion
  (default/disabled), plus per-context overrides (top navigation, flashbar, alert...).
- ``@cloudscape-design/global-styles``: ``index.css`` is normalize.css plus embedded
  Open Sans font faces.

and writes one plain CSS file of custom properties (light mode, comfortable density,
motion on) plus the normalize rules. The output is committed, so the app needs no npm,
no React and no CDN at run time. The font faces are left out on purpose: the console uses
the system font stack of the tokens (on Debian, Arial resolves to Liberation Sans).

Usage:  python scripts/build_cloudscape_css.py [--latest] [--output PATH]
Needs:  npm on PATH and access to the npm registry (only when run, not at run time).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO / "static" / "css" / "cloudscape-tokens.css"

# Pinned so that a rebuild is reproducible; pass --latest to move to the newest versions.
PACKAGES = {
    "@cloudscape-design/design-tokens": "3.0.110",
    "@cloudscape-design/global-styles": "1.0.67",
}

# Modes picked out of each token's value map, in order of preference.
MODE_KEYS = ("light", "comfortable", "default")

# Token families the console has no use for (charts palette, gen-AI gradients,
# keyframe names that only exist inside Cloudscape's React components).
SKIP = re.compile(r"^(color-charts-|motion-keyframes-|.*-gen-ai)")

# Cloudscape contexts re-map tokens inside a part of the page. Each becomes a rule that
# re-declares only the tokens whose value differs from the root, so components inside
# that part of the page use the same variable names and get the context's colours.
CONTEXTS = {
    "top-navigation": ".top-nav",
    "flashbar": ".flashbar",
    "flashbar-warning": ".flashbar.flashbar--warning",
    "alert": ".alert",
    "compact-table": ".table--compact",
}


def npm_pack(spec: str, dest: Path) -> Path:
    """Download one package tarball with ``npm pack`` and unpack it; returns its folder."""
    out = (
        subprocess.run(
            ["npm", "pack", spec, "--silent", "--pack-destination", str(dest)],
            check=True,
            capture_output=True,
            text=True,
            cwd=dest,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    tarball = dest / out
    target = dest / tarball.name.removesuffix(".tgz")
    with tarfile.open(tarball) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def pick(value: object) -> str:
    """The light/comfortable/default variant of a token value."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in MODE_KEYS:
            if key in value:
                return str(value[key])
    raise ValueError(f"unexpected token value: {value!r}")


def token_values(tokens: dict) -> dict[str, str]:
    return {name: pick(t["$value"]) for name, t in tokens.items() if not SKIP.match(name)}


def declarations(values: dict[str, str], indent: str = "  ") -> str:
    return "\n".join(f"{indent}--{name}: {value};" for name, value in values.items())


def normalize_rules(global_css: str) -> str:
    """The global styles without the embedded font faces (everything before them)."""
    marker = global_css.find("/*! Open Sans Fonts")
    if marker == -1:
        marker = global_css.find("@font-face")
    body = global_css if marker == -1 else global_css[:marker]
    # Drop the package's own copyright header: ours names it once at the top.
    body = re.sub(r"^/\*\n \* Copyright Amazon[^/]*\*/\n", "", body, count=1)
    return body.strip() + "\n"


def build(output: Path, latest: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="cloudscape-") as tmp:
        tmpdir = Path(tmp)
        folders: dict[str, Path] = {}
        versions: dict[str, str] = {}
        licences: dict[str, str] = {}
        for name, version in PACKAGES.items():
            folder = npm_pack(name if latest else f"{name}@{version}", tmpdir)
            meta = json.loads((folder / "package.json").read_text())
            folders[name] = folder
            versions[name] = meta["version"]
            licences[name] = meta.get("license", "?")

        data = json.loads((folders["@cloudscape-design/design-tokens"] / "index-visual-refresh.json").read_text())
        root = token_values(data["tokens"])
        global_css = (folders["@cloudscape-design/global-styles"] / "index.css").read_text()

    parts = [
        "/*\n"
        " * GENERATED by scripts/build_cloudscape_css.py - do not edit by hand.\n"
        " *\n"
        " * Design tokens and base rules of the Cloudscape Design System:\n"
        + "".join(f" *   {name} {versions[name]} (licence: {licences[name]})\n" for name in PACKAGES)
        + " * Copyright Amazon.com, Inc. or its affiliates. All Rights Reserved.\n"
        " * Licensed under the Apache License, Version 2.0:\n"
        " * https://www.apache.org/licenses/LICENSE-2.0\n"
        " * Includes normalize.css v8.0.1 (MIT License, github.com/necolas/normalize.css).\n"
        " *\n"
        " * Values: light mode, comfortable density, motion on (visual refresh theme).\n"
        " * The embedded Open Sans font faces of global-styles are not included.\n"
        " */\n",
        ":root {\n" + declarations(root) + "\n}\n",
    ]
    for context, selector in CONTEXTS.items():
        ctx = data.get("contexts", {}).get(context)
        if not ctx:
            continue
        changed = {name: value for name, value in token_values(ctx["tokens"]).items() if root.get(name) != value}
        if changed:
            parts.append(f'/* Cloudscape context "{context}" */\n{selector} {{\n' + declarations(changed) + "\n}\n")
    parts.append("/* Base rules from @cloudscape-design/global-styles */\n" + normalize_rules(global_css))

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(parts))
    print(f"wrote {output} ({len(root)} tokens; " + ", ".join(f"{n}@{v}" for n, v in versions.items()) + ")")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--latest", action="store_true", help="use the newest published versions, not the pins")
    args = parser.parse_args(argv)
    build(args.output, args.latest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
