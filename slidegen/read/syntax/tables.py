"""kramdown tables written for the styles format, turned into the pipe tables markdown-it reads.

kramdown draws tables with separator lines anywhere (`|----+----|` above, between and below
rows); a separator right after the first row makes it the header. GitHub-style pipe tables
need exactly one header row followed by a delimiter row and no separators between rows. The
separator lines are dropped (with their line origins, so every other line keeps its number) and
a delimiter row is put after the header.
"""
from __future__ import annotations

import re

SEPARATOR = re.compile(r"^\s{0,3}\|?\s*:?-+:?\s*(?:[+|]\s*:?-+:?\s*)*\|?\s*$")
ROW = re.compile(r"^\s{0,3}\|")
FENCE = re.compile(r"^\s*(?:>\s*)*(`{3,}|~{3,})")


def _is_separator(line: str) -> bool:
    return bool(SEPARATOR.match(line)) and "-" in line


def normalise_tables(lines: list[str], origins: list) -> tuple[list[str], list]:
    """(lines, origins) with kramdown tables rewritten; unchanged when there are none."""
    if not any(ROW.match(line) and _is_separator(line) for line in lines):
        return lines, origins
    out_lines, out_origins = [], []
    i, fence = 0, None
    while i < len(lines):
        line = lines[i]
        f = FENCE.match(line)
        if f:
            fence = None if fence and f.group(1)[0] == fence[0] else (fence or f.group(1))
        if fence or not ROW.match(line):
            out_lines.append(line)
            out_origins.append(origins[i])
            i += 1
            continue
        j = i
        while j < len(lines) and ROW.match(lines[j]):
            j += 1
        block = list(range(i, j))
        converted = _convert([lines[k] for k in block])
        if converted is None:
            out_lines.extend(lines[k] for k in block)
            out_origins.extend(origins[k] for k in block)
        else:
            for idx, text in converted:
                out_lines.append(text)
                out_origins.append(origins[block[idx]])
        i = j
    return out_lines, out_origins


def _convert(rows: list[str]):
    """[(index of the source line it comes from, text)] for a kramdown table, else None."""
    seps = [k for k, r in enumerate(rows) if _is_separator(r)]
    if not seps:
        return None
    data = [k for k in range(len(rows)) if k not in seps]
    if not data:
        return None
    first = data[0]
    after_first = first + 1 < len(rows) and (first + 1) in seps
    if not after_first and not any("+" in rows[k] for k in seps):
        return None              # an ordinary pipe table (or not a table at all)
    header_sep = rows[first + 1] if after_first else None
    cells = len(_cells(rows[first]))
    align = _alignment(header_sep, cells) if header_sep else ["---"] * cells
    out = []
    if after_first:
        out.append((first, rows[first]))
        out.append((first + 1, "|" + "|".join(align) + "|"))
        body = [k for k in data if k != first]
    else:                         # no header in the source: an empty one keeps the columns
        out.append((first, "|" + "|".join(" " for _ in range(cells)) + "|"))
        out.append((first, "|" + "|".join(align) + "|"))
        body = data
    out.extend((k, rows[k]) for k in body)
    return out


def _cells(row: str) -> list[str]:
    inner = row.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return re.split(r"(?<!\\)\|", inner)


def _alignment(separator: str, count: int) -> list[str]:
    parts = [p.strip() for p in re.split(r"[+|]", separator.strip().strip("|"))]
    out = []
    for k in range(count):
        p = parts[k] if k < len(parts) else "-"
        left, right = p.startswith(":"), p.endswith(":")
        out.append(":---:" if left and right else ":---" if left else "---:" if right else "---")
    return out
