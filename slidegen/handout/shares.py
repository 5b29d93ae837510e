"""A very long episode's handout laid out by several workers at once.

Its parts (parts.py) are independent layouts. Each of `count` jobs claims the next part no
job has claimed yet, lays it out and leaves it in the build's shares folder, until none is
left (so the jobs share the work however unevenly long the parts take, and a job that starts
late, once its worker is free, just helps finish). The job that finishes last joins them all,
in order, exactly as one process would have: the same bytes. No locks: a claim and the right
to join are exclusive file creations, and each job marks its arrival before it counts the
marks, so the last to arrive always sees them all.
"""
from __future__ import annotations

import os
import pickle
import tempfile

from ..errors import Diagnostics
from ..writer import Share
from .learner import learner_blocks
from .parts import cut
from .render import joined, lay_out_parts


def render_share(lesson, episode, theme, options, share: Share):
    """(the whole episode's RenderedEpisode if this share arrived last, else None; the
    diagnostics of the parts this share laid out)."""
    pieces = cut(learner_blocks(episode.blocks))
    folder = os.path.join(share.folder, episode.stem)
    os.makedirs(folder, exist_ok=True)
    mine = Diagnostics(episode.source)
    for index in range(len(pieces)):
        if not _created(os.path.join(folder, f"claim-{index}")):
            continue
        diags = Diagnostics(episode.source)
        (part,) = lay_out_parts(lesson, episode, theme, options, diags, pieces, [index])
        _dump(os.path.join(folder, f"part-{index}.pickle"), (part, tuple(diags.items)))
        mine.extend(diags.items)
    if not _arrive(folder, share):
        return None, tuple(mine.items)
    parts, diagnostics = [], Diagnostics(episode.source)
    for index in range(len(pieces)):
        with open(os.path.join(folder, f"part-{index}.pickle"), "rb") as f:
            part, found = pickle.load(f)          # written by this build's own workers
        parts.append(part)
        diagnostics.extend(found)
    return joined(parts, tuple(diagnostics.items)), tuple(mine.items)


def _dump(path: str, data) -> None:
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def _created(path: str) -> bool:
    """Create an empty file; False if it was there already (another job's)."""
    try:
        open(path, "x").close()
    except FileExistsError:
        return False
    return True


def _arrive(folder: str, share: Share) -> bool:
    """Mark this share done; True for the one share that should join them all."""
    _created(os.path.join(folder, f"arrived-{share.index}"))
    arrived = sum(os.path.exists(os.path.join(folder, f"arrived-{k}")) for k in range(share.count))
    return arrived == share.count and _created(os.path.join(folder, "joining"))
