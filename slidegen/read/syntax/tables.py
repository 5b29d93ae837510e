"""kramdown tables written for the styles format, turned into the pipe tables markdown-it reads.

kramdown reads any run of lines starting with `|` as a table (in a quote too). A separator line
(`|---`, `|----+----|`) after the first rows makes them the header; a separator further down
only separates parts of the body; `|===` starts the footer; a separator before any row, or a
table with none, leaves the table without a header. GitHub-style pipe tables need exactly one
header row followed by a delimiter row and no separators between rows. So the separator lines
are dropped (with their line origins, so every other line keeps its number), a delimiter row is
put after the header, and a table without one gets an empty header (the reader takes a header
of empty cells for none, as pandoc does).
"""
from __future__ import annotations

import re

QUOTE = re.compile(r"^(?:\s{0,3}>\s?)*")
ROW = re.compile(r"^\s{0,3}\|")
SEPARATOR = re.compile(r"^\s{0,3}\|[-+|: ]*-[-+|: ]*$")
FOOTER = re.compile(r"^\s{0,3}\|[=+|: -]*=[=+|: -]*$")
FENCE = re.compile(r"^\s*(?:>\s*)*(`{3,}|~{3,})")


def _kind(line: str) -> str:
    if SEPARATOR.match(line.rstrip()):
        return "sep"
    return "foot" if FOOTER.match(line.rstrip()) else "row"


def _split(line: str) -> tuple[str, str]:
    """(quote markers, the rest) of a line."""
    prefix = QUOTE.match(line).group(0)
    return prefix, line[len(prefix):]


def normalise_tables(lines: list[str], origins: list) -> tuple[list[str], list]:
    """(lines, origins) with kramdown tables rewritten; unchanged when there are none."""
    if not any(ROW.match(_split(line)[1]) for line in lines):
        return lines, origins
    out_lines, out_origins = [], []
    i, fence = 0, None
    while i < len(lines):
        line = lines[i]
        f = FENCE.match(line)
        if f:
            fence = None if fence and f.group(1)[0] == fence[0] else (fence or f.group(1))
        prefix, bare = _split(line)
        if fence or not ROW.match(bare):
            out_lines.append(line)
            out_origins.append(origins[i])
            i += 1
            continue
        j = i
        while j < len(lines) and _split(lines[j])[0].rstrip() == prefix.rstrip() \
                and ROW.match(_split(lines[j])[1]):
            j += 1
        rows = [_split(lines[k])[1] for k in range(i, j)]
        after_text = bool(i > 0 and _split(lines[i - 1])[1].strip())
        converted = _convert(rows, after_text)
        if converted is None:
            out_lines.extend(lines[i:j])
            out_origins.extend(origins[i:j])
        else:
            for idx, text in converted:
                out_lines.append(prefix + text)
                out_origins.append(origins[i + idx])
        i = j
    return out_lines, out_origins


def _convert(rows: list[str], after_text: bool = False):
    """[(index of the source line it comes from, text)] for a kramdown table, else None. Rows
    with no separator right after a line of text are left to the paragraph they continue."""
    kinds = [_kind(r) for r in rows]
    data = [k for k, kind in enumerate(kinds) if kind == "row"]
    seps = [k for k, kind in enumerate(kinds) if kind != "row"]
    if not data or after_text and not seps:
        return None
    if seps == [1] and kinds[1] == "sep" and data[0] == 0:
        return None              # an ordinary pipe table: markdown-it reads it as it is
    first_sep = next((k for k in seps if k > data[0]), None)
    header = first_sep is not None and kinds[first_sep] == "sep"
    cells = max(len(_cells(rows[k])) for k in data)
    align_from = first_sep if header else next((k for k in seps if kinds[k] == "sep"), None)
    align = _alignment(rows[align_from], cells) if align_from is not None else ["---"] * cells
    out = []
    if header:
        first = data[0]
        out.append((first, rows[first]))
        out.append((first_sep, "|" + "|".join(align) + "|"))
        body = data[1:]
    else:
        out.append((data[0], "|" + "|".join(" " for _ in range(cells)) + "|"))
        out.append((data[0], "|" + "|".join(align) + "|"))
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
