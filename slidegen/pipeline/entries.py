"""The manifest's episode entries: what each episode was built from and what it wrote, whether
it is up to date, and which outputs go with an episode that is gone."""
from __future__ import annotations

import os

from ..errors import Diagnostic
from . import manifest, outputs


def record(state, outcomes, current, key, writers, report) -> dict:
    """The manifest's episode entries after this build, and its counts."""
    common, parts = key
    episodes = _carried_over(state.get("episodes", {}), current)
    for o in outcomes:
        report.diagnostics.extend(o.diagnostics)
        if o.failed:
            report.failed.append(o.rel)
            continue                     # earlier outputs and manifest entry stay as they were
        if o.note:
            report.skipped.append(f"{o.rel} ({o.note})")
        for i in o.made:
            report.built[writers[i].noun] += 1
        before = episodes[o.rel]["outputs"] if o.rel in episodes else {}
        episodes[o.rel] = {
            "key": common,
            "parts": parts,
            "deps": o.deps,
            # outputs of an earlier build with other --only stay recorded, so that they are
            # removed with their episode; "wanted" says which ones are current
            "outputs": {**before, **o.written},
            "diagnostics": [[d.path, d.line, d.severity, d.message] for d in o.diagnostics],
            "wanted": sorted(wanted(writers, o.stem)),
        }
    return episodes


def _carried_over(old: dict, current: dict) -> dict:
    """The entries of the episodes still there; an episode renamed but for its extension
    (`01-intro.md` to `01-intro.Rmd`) takes over the entry of its old name, and with it the
    outputs both names make (they are its own, to keep if it fails, not to remove as gone)."""
    episodes = {rel: e for rel, e in old.items() if rel in current}
    gone = {_stem(rel): e for rel, e in sorted(old.items()) if rel not in current}
    for rel, stem in current.items():
        if rel not in episodes and stem in gone:
            episodes[rel] = gone.pop(stem)
    return episodes


def _stem(rel: str) -> str:
    return os.path.splitext(os.path.basename(rel))[0]


def wanted(writers, stem: str) -> set[str]:
    return {rel for w in writers if w.active for rel in w.outputs(stem)}


PART_NAMES = {"code": "slidegen itself", "theme": "the theme", "options": "the build's options",
              "schedule": "its clock times", "renderers": "the renderers"}


def stale(root: str, out: str, entry, key, wanted: set[str]) -> str | None:
    """Why an episode must be built again, or None when it is up to date: nothing it was
    built from changed, and the outputs wanted now were written then and are still there,
    unmodified."""
    common, parts = key
    if not isinstance(entry, dict):
        return "not built before"
    if entry.get("key") != common:
        before = entry.get("parts") or {}
        changed = [PART_NAMES.get(k, k) for k, v in parts.items() if before.get(k) != v]
        return (" and ".join(changed) if before and changed else "what it is built from") + \
            " changed"
    deps = entry.get("deps")
    written = entry.get("outputs")
    if not isinstance(deps, dict) or not isinstance(written, dict) or not deps:
        return "not built before"
    now = manifest.deps_hashes(root, deps.keys())
    changed = [r for r in sorted(deps) if now.get(r) != deps[r]]
    if changed:
        gone = [r for r in changed if now.get(r) is None]
        said = ", ".join(changed[:2]) + (f" and {len(changed) - 2} more" if len(changed) > 2
                                          else "")
        return said + (" changed" if not gone else " changed or went missing")
    produced = set(entry.get("wanted") or [])
    for rel in sorted(wanted):
        if rel not in produced:
            return f"{rel} is new"
        if rel in written and outputs.output_sha(out, rel) != written[rel]:
            return f"{rel} is missing or was changed since it was built"
    return None


def stored_diagnostics(entry: dict) -> list[Diagnostic]:
    out = []
    for d in entry.get("diagnostics") or []:
        try:
            out.append(Diagnostic(str(d[0]), int(d[1]), str(d[2]), str(d[3])))
        except (TypeError, ValueError, IndexError):
            continue
    return out


def remove_stale(out: str, old_episodes: dict, episodes: dict, writers) -> list[str]:
    """Outputs of episodes that no longer exist (`episodes`: the entries after this build);
    only files slidegen wrote and nobody changed, and none that an episode still has."""
    removed = []
    kept = {path for e in episodes.values() for path in e.get("outputs") or {}}
    for rel, entry in old_episodes.items():
        if rel in episodes or not isinstance(entry, dict):
            continue
        for path, sha in (entry.get("outputs") or {}).items():
            if isinstance(path, str) and path not in kept and outputs.remove_owned(
                    out, path, sha, lambda r: outputs.owned_by(writers, r)):
                removed.append(path)
    return sorted(removed)
