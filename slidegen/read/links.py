"""Links in an episode made absolute for slides and handouts, which are read away from the
lesson's web site: web and mail links stay, relative ones resolve against the site as the
lesson's dialect publishes it, and anything else (javascript:, file:, data:) leads nowhere."""
from __future__ import annotations

from urllib.parse import urlsplit

from ..media.remote import LINK_SCHEMES, absolute


def absolute_link(target: str, lesson_url: str | None, stem: str, page_link) -> str | None:
    """`target` as an absolute URL, or None when there is nowhere to go. `page_link` is the
    dialect's policy for relative links (see dialects.py)."""
    target = target.strip()
    if not target or target.startswith("#"):
        return None
    scheme = urlsplit(target).scheme.lower()
    if scheme in LINK_SCHEMES:
        return target
    if scheme:                                # javascript:, file:, data: … never linked
        return None
    if target.startswith("//"):
        return absolute(target)
    if not lesson_url:
        return None
    return page_link(lesson_url.rstrip("/") + "/", stem, target)
