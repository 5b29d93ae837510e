"""Quote markers that authors forgot inside fenced code, restored as kramdown reads them.

In a styles lesson a code block inside a blockquote sometimes has lines without their `>`
markers (pasted output, a line indented by hand). kramdown keeps such lines in the quote;
CommonMark ends the quote there, which would spill a solution's code, and the rest of the
solution, out of its block. Inside an open fence, a non-blank line with fewer markers than the
fence gets the fence's markers back. Lines are changed in place, never added or removed.
"""
from __future__ import annotations

import re

MARKERS = re.compile(r"^((?: {0,3}> ?)*)")
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})(.*)$")


def _depth(markers: str) -> int:
    return markers.count(">")


def repair_quoted_fences(text: str) -> str:
    if ">" not in text:
        return text
    lines = text.split("\n")
    fence = None          # (marker string, depth, fence chars)
    for i, line in enumerate(lines):
        m = MARKERS.match(line)
        markers = m.group(1)
        depth = _depth(markers)
        content = line[len(markers):]
        if fence is None:
            f = FENCE.match(content)
            if f and depth > 0:
                fence = (markers if markers.endswith(" ") else markers + " ", depth, f.group(1))
            continue
        fmarkers, fdepth, fchars = fence
        if not line.strip():
            fence = None                  # a bare blank line ends the quote, as in kramdown
            continue
        if content.lstrip().startswith("{:"):
            fence = None                  # an attribute line is never code: the fence was over
            continue
        if depth < fdepth:
            if not content.strip():
                continue
            lines[i] = fmarkers + content
        f = FENCE.match(content)
        if f and f.group(1)[0] == fchars[0] and len(f.group(1)) >= len(fchars) \
                and not f.group(2).strip():
            fence = None
    return "\n".join(lines)
