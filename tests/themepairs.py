"""Text-on-background colour pairs of a theme, as the writers use them: computed from the
tokens, so a theme whose tokens do not read is caught before any deck or handout is made."""
from __future__ import annotations

from slidegen.pptx.highlight import tokens
from slidegen.theme.colour import contrast

# Code in which Pygments emits most token kinds a lesson meets (keywords, names, strings,
# numbers, comments, operators, builtins, decorators, escapes, shell prompts).
SAMPLES = {
    "python": '@dec\ndef f(x: int = 3, *a) -> str:\n    """Doc."""\n    # note\n    import os\n'
              '    return f"{x!r}\\n" + str(len(a)) if x is not None else 0x1F + 2.5e3\n'
              'class A(B): pass\n',
    "bash": '$ ls -l "$HOME" | grep -c foo  # count\nexport X=1; echo ${X}\n',
    "r": 'x <- c(1, 2, "a")  # v\nif (TRUE) print(x[[1]])\n',
}


def code_colours(style: str, default: str, background: str) -> set[str]:
    out = set()
    for lang, text in SAMPLES.items():
        for line in tokens(text, lang, style, default, background):
            out.update(c for t, c, _, _ in line if t.strip())
    return out


def deck_pairs(palette) -> list[tuple[str, str, str]]:
    """(what, text colour, background) for every text a deck draws on a fill."""
    c = palette.colours
    pairs = [(f"{n} on background", c[n], c["background"])
             for n in ("text", "heading", "muted", "link")]
    pairs += [("title text on title background", c["title_text"], c["title_background"]),
              ("title muted on title background", c["title_muted"], c["title_background"]),
              ("code text", c["code_text"], c["code_background"]),
              ("output text", c["output_text"], c["output_background"]),
              ("error text", c["error_text"], c["error_background"]),
              ("table header", c["table_header_text"], c["table_header_background"]),
              ("table stripe", c["text"], c["table_stripe"])]
    for kind in palette.boxes:
        b = palette.box(kind)
        pairs += [(f"{kind} box title", b.colour, b.background),
                  (f"text in {kind} box", c["text"], b.background),
                  (f"link in {kind} box", c["link"], b.background)]
    for col in code_colours(palette.code_style, c["code_text"], c["code_background"]):
        pairs.append((f"code token {col}", col, c["code_background"]))
    return pairs


def worst(pairs):
    return min(pairs, key=lambda p: contrast(p[1], p[2]))


def low(pairs, minimum=4.5):
    return [(what, fg, bg, round(contrast(fg, bg), 2)) for what, fg, bg in pairs
            if contrast(fg, bg) < minimum]
