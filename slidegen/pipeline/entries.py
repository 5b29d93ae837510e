"""The manifest's episode entries: what each episode was built from and what it wrote, whether
it is up to date, and which outputs go with an episode that is gone."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..errors import Diagnostic
from . import depends, manifest, outputs


@dataclass
class Plan:
    """What this build makes each episode from: the common parts' key (and each part's, to say
    which changed), and per episode to be built the keys of the writers its job runs; an episode
    in `partial` runs only the writers whose inputs changed, and keeps the others' keys."""
    common: str
    parts: dict
    writers: dict = field(default_factory=dict)      # rel -> {writer name: key}
    partial: set = field(default_factory=set)


def record(state, outcomes, current, plan: Plan, writers, report) -> dict:
    """The manifest's episode entries after this build, and its counts."""
    episodes = _carried_over(state.get("episodes", {}), current)
    for o in outcomes:
        report.diagnostics.extend(o.diagnostics)
        if o.failed:
            report.failed.append(o.rel)
            for i in o.made:             # written before the failure: said, not hidden
                report.built[writers[i].noun] += 1
                report.failed_made[writers[i].noun] = report.failed_made.get(
                    writers[i].noun, 0) + 1
            continue                     # the rest and the manifest entry stay as they were
        if o.note:
            report.skipped.append(f"{o.rel} ({o.note})")
        for i in o.made:
            report.built[writers[i].noun] += 1
        before = episodes.get(o.rel, {})
        # the writers not run keep their keys only if the files they were made from did not
        # change meanwhile (an edit as the job began: then they run next time too)
        kept = before.get("writers", {}) if o.rel in plan.partial and \
            o.deps == before.get("deps") else {}
        episodes[o.rel] = {
            "key": plan.common,
            "parts": plan.parts,
            "writers": {**kept, **plan.writers.get(o.rel, {})},
            "deps": o.deps,
            # outputs of an earlier build with other --only stay recorded, so that they are
            # removed with their episode; "wanted" says which ones are current
            "outputs": {**before.get("outputs", {}), **o.written},
            "diagnostics": [[d.path, d.line, d.severity, d.message] for d in o.diagnostics],
            "wanted": sorted(wanted(writers, o.stem)),
        }
        summary = depends.summary_of(o.episode) or before.get("summary")
        if summary is not None:
            episodes[o.rel]["summary"] = summary
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


def stale(root: str, entry, plan: Plan) -> str | None:
    """Why all of an episode's outputs must be made again, or None: nothing they are all made
    from changed (the build's common parts, the files the episode was built from)."""
    if not isinstance(entry, dict):
        return "not built before"
    if entry.get("key") != plan.common:
        before = entry.get("parts") or {}
        changed = [PART_NAMES.get(k, k) for k, v in plan.parts.items() if before.get(k) != v]
        return (" and ".join(changed) if before and changed else "what it is built from") + \
            " changed"
    deps = entry.get("deps")
    if not isinstance(deps, dict) or not isinstance(entry.get("outputs"), dict) or not deps:
        return "not built before"
    now = manifest.deps_hashes(root, deps.keys())
    changed = [r for r in sorted(deps) if now.get(r) != deps[r]]
    if changed:
        gone = [r for r in changed if now.get(r) is None]
        said = ", ".join(changed[:2]) + (f" and {len(changed) - 2} more" if len(changed) > 2
                                          else "")
        return said + (" changed" if not gone else " changed or went missing")
    return None


def stale_writers(out: str, entry: dict, keys: dict, writers, stem: str) -> dict[int, str]:
    """Of an episode otherwise up to date, the writers to run again and why: those whose own
    inputs changed (their settings, the clock times they show) or that were not run for it
    since it last changed, and those whose files are new, missing or were changed since."""
    recorded = entry.get("writers") or {}
    produced = set(entry.get("wanted") or [])
    written = entry["outputs"]
    found = {}
    for i in depends.episode_writers(writers, stem):
        w, name = writers[i], depends.name(writers[i])
        for rel in w.outputs(stem):
            if rel not in produced:
                found[i] = f"{rel} is new"
            elif rel in written and outputs.output_sha(out, rel) != written[rel]:
                found[i] = f"{rel} is missing or was changed since it was built"
        if i not in found and recorded.get(name) != keys[name]:
            found[i] = f"the {w.noun or name}: " + (
                "its settings or the clock times it shows changed" if name in recorded
                else "not made since the episode changed")
    return found


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
