"""Every word slidegen adds to an output goes through the translation catalogue.

A lesson written only in made-up words ("zz…") is built in a pseudo-language whose catalogue
gives every message with its vowels accented ("Slide" -> "Slídé"). Any plain English word left
in a deck (slides and notes), a handout, the answer key, large print, the instructor's script or
exercises.md is a string that bypassed the catalogue, and the test names it."""
from __future__ import annotations

import os
import re
import shutil

import pytest
from click.testing import CliRunner
from test_handout import text_of
from test_i18n import source_messages

from slidegen import i18n
from slidegen.cli import main

pytest.importorskip("pdfplumber")

ACCENTS = str.maketrans("aeiouyAEIOUYcnCN", "áéíóúýÁÉÍÓÚÝçñÇÑ")


def pseudo(message: str) -> str:
    """The message with its letters accented, its {placeholders} kept."""
    return "".join(part if part.startswith("{") else part.translate(ACCENTS)
                   for part in re.split(r"(\{[^}]*\})", message))


def po_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


LISTING = "\n".join(f"zzline{k} = zzcall({k})" for k in range(1, 41))
OUTPUT = "\n".join(f"zzout{k}" for k in range(1, 31))
LESSON = {
    "_episodes/01-zzloops.md": f"""
---
title: "Zzloops"
teaching: 30
exercises: 20
questions:
- "Zzwhy zzloops?"
objectives:
- "Zzwrite zzloops."
keypoints:
- "Zzloops zzrepeat."
---

## Zzintro

Zzalpha zzbeta zzgamma zzdelta. Zzepsilon zzzeta zzeta.

~~~
zzfor zzx zzin zzrange(3):
    zzprint(zzx)
~~~
{{: .language-python}}

~~~
{OUTPUT}
~~~
{{: .output}}

| Zzcol | Zzother |
|-------|---------|
| zz1   | zz2     |

> ## Zznote
> Zzcallout zztext zzhere.
{{: .callout}}

> ## Zzteach
> Zzinstructor zzsecret.
{{: .instructor}}

> ## Zztask (10 min)
>
> Zzdo zzthis zztask.
>
> ~~~
{"".join(f"> {line}" + chr(10) for line in LISTING.splitlines())}> ~~~
> {{: .language-python}}
>
> > ## Zzhint
> > Zzhint zztext.
> {{: .hint}}
>
> > ## Zzanswer
> > Zzanswer zztext.
> {{: .solution}}
{{: .challenge}}
""",
    "_episodes/02-zzcoffee.md": '---\ntitle: "Zzcoffee"\nlayout: break\nbreak: 15\n---\n',
    "_episodes/03-zzmore.md": """
---
title: "Zzmore"
teaching: 20
exercises: 10
---

Zzmore zztext zzhere.

![Zzpicture zzalt](../zzfig/zzmissing.zzpng)

```mermaid
graph LR
  zza[Zzstart] --> zzb[Zzend]
```

> ## Zzdiscuss (5 min)
> Zzdiscuss zzthis.
{: .discussion}
""",
}


def words_left(text: str) -> list[str]:
    """Plain-ASCII words of two letters or more that are not the lesson's own (zz…, the times
    its exercise titles carry, "(10 min)", and its diagram's source)."""
    text = re.sub(r"\((10|5) min\)|graph LR", "", text)
    return [w for w in re.findall(r"[^\W\d_]{2,}", text)
            if w.isascii() and not w.lower().startswith("zz")]


def deck_text(path: str) -> str:
    from pptx import Presentation
    out = []
    for slide in Presentation(path).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                out += [c.text for row in shape.table.rows for c in row.cells]
        if slide.has_notes_slide:
            out.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(out)


def test_no_word_slidegen_adds_escapes_the_catalogue(make_lesson, tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    entries = "".join(f"msgid {po_string(m)}\nmsgstr {po_string(pseudo(m))}\n\n"
                      for m in source_messages())
    (locale / "xx.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; '
                                  'charset=UTF-8\\n"\n\n' + entries, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", str(locale))
    i18n.translations.cache_clear()
    try:
        root = make_lesson(LESSON, config='title: "Zzlesson"\nlang: xx\n')
        out = str(tmp_path / "out")
        result = CliRunner().invoke(main, ["build", root, "-o", out, "-q", "--instructor",
                                           "--answer-key", "--large-print", "-j", "1",
                                           "--start", "09:00", "--day", "09:00-10:00"])
        assert result.exit_code == 0, result.output
    finally:
        i18n.translations.cache_clear()
    found: dict[str, list[str]] = {}
    for folder, dirs, files in os.walk(out):
        dirs[:] = [d for d in dirs if d != ".slidegen"]         # the build's own cache
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith(".pptx"):
                text = deck_text(path)
            elif name.endswith(".pdf"):
                with open(path, "rb") as f:
                    text = text_of(f.read())
            elif name.endswith(".md"):
                with open(path, encoding="utf-8") as f:
                    text = re.sub(r"<!--.*?-->|^```\w+$", "", f.read(), flags=re.S | re.M)
            else:
                continue
            for word in words_left(text):
                found.setdefault(word, []).append(os.path.relpath(path, out))
    assert {w: sorted(set(where)) for w, where in found.items()} == {}
