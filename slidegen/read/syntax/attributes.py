"""Attribute lists: kramdown `{: .class key="v"}` and pandoc `{#id .class key='v'}`."""
from __future__ import annotations

import re

ATTR = re.compile(
    r"""\#(?P<id>[\w:-]+)
      | \.(?P<cls>[\w:-]+)
      | (?P<key>[\w:-]+)\s*=\s*(?:"(?P<dq>(?:[^"\\]|\\.)*)"
                                 |'(?P<sq>(?:[^'\\]|\\.)*)'|(?P<bare>[^\s}]+))
      | (?P<word>[\w:-]+)""",
    re.X,
)
ESCAPE = re.compile(r"\\(.)")            # `\"` in a quoted value is a quote, as in pandoc
# Classes an attribute line gives code (`{: .output}`): its role, and what each role is called.
CODE_ROLES = {"output": "output", "error": "error", "source": "source", "warning": "error"}


def parse_attributes(text: str) -> tuple[list[str], dict[str, str]]:
    """Classes and key/values of an attribute list's inside. A bare word counts as a class,
    as kramdown lessons write `{: language-bash}` without the dot."""
    classes: list[str] = []
    values: dict[str, str] = {}
    for m in ATTR.finditer(text):
        if m.group("word") and not m.group("word").strip(":"):
            continue                   # `{: .class :}`: kramdown ignores the closing colon
        if m.group("cls") or m.group("word"):
            # `{: .math-center:}`: kramdown's class names end before a colon
            classes.append((m.group("cls") or m.group("word")).rstrip(":"))
        elif m.group("id"):
            values["id"] = m.group("id")
        elif m.group("key"):
            quoted = m.group("dq") if m.group("dq") is not None else m.group("sq")
            v = ESCAPE.sub(r"\1", quoted) if quoted is not None else m.group("bare")
            # a value written over several lines reads as one line, as pandoc reads it
            values[m.group("key")] = re.sub(r"\s*\n\s*", " ", v)
    return classes, values


def is_code_class(cls: str) -> bool:
    """`language-python`, `output`, `error` …: classes that only code blocks take."""
    return cls.startswith("language-") or cls in CODE_ROLES
