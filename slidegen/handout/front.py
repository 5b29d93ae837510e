"""The whole-lesson handout's opening pages: cover (title, QR code), schedule and contents.

Contents entries carry the global page where each episode starts; the links go to
"slidegen:page/N", which assembly turns into links to that page of the finished file.
"""
from __future__ import annotations

import base64

import qrcode

from ..i18n import t
from ..workshop.schedule import duration, lesson_schedule
from .assemble import PAGE_LINK


def front_data(lesson, entries: list[tuple[str, int]], theme) -> dict:
    """What lesson.html.j2 needs; `entries` are (episode title, first page, 1-based)."""
    plan = lesson_schedule(lesson)
    taught = [s for s in plan.slots if not s.is_break]
    summary = t("{n} episodes", n=len(taught)) if len(taught) != 1 else t("1 episode")
    if plan.total:
        summary += f" · {duration(plan.total)}"
    url = lesson.config.url
    return {
        "summary": summary,
        "url": url,
        "qr": qr_data_url(url, theme.colour("text"), theme.colour("background")) if url else None,
        "schedule": schedule_rows(plan),
        "totals": {"teaching": _min(plan.teaching), "exercises": _min(plan.exercises),
                   "breaks": plan.breaks, "total": duration(plan.total),
                   "end": plan.time(plan.end)},
        "clock": plan.clock,
        "days": plan.days,
        "first_start": plan.time(plan.slots[0].start) if plan.slots else "",
        "contents": [{"title": title, "page": p, "href": f"{PAGE_LINK}{p}"}
                     for title, p in entries],
    }


def schedule_rows(plan) -> list[dict]:
    """Each episode and break with its start and end, and the day it opens when there are
    several days."""
    return [{"start": plan.time(s.start), "end": plan.time(s.end), "day": s.day,
             "new_day": plan.days > 1 and (i == 0 or plan.slots[i - 1].day != s.day),
             "title": s.label, "teaching": _min(s.teaching), "exercises": _min(s.exercises),
             "minutes": s.minutes, "is_break": s.is_break}
            for i, s in enumerate(plan.slots)]


def _min(minutes: int) -> str:
    return t("{n} min", n=minutes) if minutes else "–"


def qr_data_url(url: str, colour: str, background: str) -> str:
    """A QR code of `url` as an SVG data URL: one path, so it prints sharp at any size."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    qr.add_data(url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
           f'width="{size}" height="{size}" shape-rendering="crispEdges">'
           f'<rect width="{size}" height="{size}" fill="{background}"/>'
           f'<path fill="{colour}" d="{"".join(runs)}"/></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
