"""Fault injection: the build killed, a worker killed, a full disk, a read-only OUT, two builds at
once, a hostile OUT tree and a hostile theme.

After each fault the build says what happened in one clear message (never a traceback), no file
outside OUT changes (a sentinel tree and the lesson are hashed before and after), and the next
plain build gives outputs byte-identical to a --force build from nothing.
"""
from __future__ import annotations

import errno
import importlib.metadata
import json
import os
import shutil
import signal
import subprocess
import time
import zipfile

import pypdf
import pytest
import watchfiles
from buildkit import (
    EPOCH,
    alive,
    build,
    children,
    command,
    environment,
    episode,
    pdf_pages,
    pdf_text,
    png,
    recovers,
    run,
    snapshot,
    tiny_lesson,
    tree,
    wait_for,
)

import slidegen
from slidegen.pipeline import jobs, manifest, outdir, runner, watch


@pytest.fixture
def world(tmp_path, monkeypatch):
    """A tiny lesson, its OUT beside it, and a sentinel tree of files slidegen must not touch."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    lesson = tiny_lesson(tmp_path / "lesson")
    sentinel = tmp_path / "sentinel"
    (sentinel / "slides").mkdir(parents=True)
    (sentinel / "handout.pdf").write_bytes(b"the user's own handout")
    (sentinel / "slides" / "01-alpha.pptx").write_bytes(b"the user's own deck")
    (sentinel / ".slidegen").mkdir()
    (sentinel / "notes.txt").write_text("keep me")
    out, cold = str(tmp_path / "out"), str(tmp_path / "cold")
    inside_lesson = os.path.join(lesson, "_slidegen")

    def outside():
        return tree(sentinel), tree(lesson, skip=[inside_lesson])
    before = outside()

    def unchanged_outside():
        assert outside() == before
    return lesson, out, cold, str(sentinel), unchanged_outside


def _mount_tmpfs(path, size: str) -> bool:
    os.makedirs(path, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True)
    return done.returncode == 0


def _umount(path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


# -- processes -------------------------------------------------------------------------------

def _busy_lesson(root) -> str:
    """Episodes long enough to keep a worker busy for a moment."""
    return tiny_lesson(root, ("Alpha", "Beta", "Gamma", "Delta"), paragraphs=1000)


def _workers_of(proc, count: int, timeout: float = 60) -> list[int]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = children(proc.pid)
        if len(found) >= count:
            return found
        if proc.poll() is not None:
            break
        time.sleep(0.01)
    pytest.fail(f"the build did not start {count} workers: {proc.communicate()}")


@pytest.mark.skipif(jobs.cores() < 2, reason="needs two cores for two workers")
def test_killing_the_build_takes_its_workers_along(world, tmp_path):
    _, out, cold, _, unchanged_outside = world
    lesson = _busy_lesson(tmp_path / "busy")
    proc = subprocess.Popen(command("build", lesson, "-o", out, "-j", "2", "--only", "slides",
                                    "--slides", "full"),
                            env=environment(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    workers = _workers_of(proc, 2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    end = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < end:
        time.sleep(0.05)
    assert not any(alive(w) for w in workers), "workers outlived the build"
    unchanged_outside()
    recovers(lesson, out, cold, "--only", "slides", "--slides", "full")


@pytest.mark.skipif(jobs.cores() < 2, reason="needs two cores for two workers")
def test_a_killed_worker_fails_its_episode_and_the_rest_finish(world, tmp_path):
    _, out, cold, _, unchanged_outside = world
    lesson = _busy_lesson(tmp_path / "busy")
    proc = subprocess.Popen(command("build", lesson, "-o", out, "-j", "2", "--only", "slides",
                                    "--slides", "full"),
                            env=environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    victim = _workers_of(proc, 2)[0]
    time.sleep(0.5)                 # well into its first episode (each takes about a second)
    os.kill(victim, signal.SIGKILL)
    output = proc.communicate(timeout=120)[0]
    assert proc.returncode == 1, output
    assert "Traceback" not in output and "BrokenProcessPool" not in output
    assert "the process building it stopped: killed by SIGKILL" in output
    assert "1 episode failed and kept its earlier outputs" in output
    assert "built 3 decks" in output             # the other three finished and were recorded
    again = build(lesson, "-o", out, "--only", "slides", "--slides", "full")
    assert "built 1 deck; 3 up to date" in again.output
    unchanged_outside()
    recovers(lesson, out, cold, "--only", "slides", "--slides", "full")


# -- the disk --------------------------------------------------------------------------------

def test_a_full_disk_is_one_clear_message(world, tmp_path, monkeypatch):
    lesson, out, cold, _, unchanged_outside = world
    assert build(lesson, "-o", out, "-j", "1").exit_code == 0
    first = snapshot(out)
    mounted = _mount_tmpfs(tmp_path / "tiny", "64k")
    try:
        if mounted:                               # a real full disk: a 64 kB tmpfs
            small = str(tmp_path / "tiny" / "out")
            result = build(lesson, "-o", small, "-j", "1")
        else:                                     # else the disk fills at the first write
            def full(fd, data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            monkeypatch.setattr(outdir, "_fill", full)
            small = out
            result = build(lesson, "-o", out, "-j", "1", "--force")
            monkeypatch.undo()
            monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert result.exit_code == 1, result.output
        assert result.output.count("no space left on device") == 1, result.output
        assert "cannot write to the output folder: no space left on device" in result.output
        assert not [n for _, _, files in os.walk(small) for n in files if n.startswith(".tmp-")]
        if mounted:
            subprocess.run(["mount", "-o", "remount,size=64m", str(tmp_path / "tiny")], check=True)
            recovers(lesson, small, cold)
    finally:
        if mounted:
            _umount(tmp_path / "tiny")
    if not mounted:
        assert snapshot(out) == first             # nothing half-written replaced a good file
    unchanged_outside()
    recovers(lesson, out, str(tmp_path / "cold2"))


def test_a_read_only_output_folder_is_a_usage_error(world, tmp_path, monkeypatch):
    lesson, out, cold, _, unchanged_outside = world
    place = tmp_path / "ro"
    if _mount_tmpfs(place, "16m"):
        try:
            assert build(lesson, "-o", str(place / "out"), "--only", "slides").exit_code == 0
            before = snapshot(str(place / "out"))
            subprocess.run(["mount", "-o", "remount,ro", str(place)], check=True)
            result = build(lesson, "-o", str(place / "out"), "--only", "slides", "--force")
            assert snapshot(str(place / "out")) == before
        finally:
            _umount(place)
    else:
        real_open = os.open

        def read_only(path, flags, *a, **kw):
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and str(path).endswith("lock"):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS))
            return real_open(path, flags, *a, **kw)
        monkeypatch.setattr(os, "open", read_only)
        result = build(lesson, "-o", out, "--only", "slides")
        monkeypatch.undo()
    assert result.exit_code == 2, result.output
    assert "cannot write to the output directory" in result.output
    assert "read-only file system" in result.output
    unchanged_outside()
    recovers(lesson, out, cold, "--only", "slides")


def test_two_builds_into_one_folder_at_once(world):
    lesson, out, cold, _, unchanged_outside = world
    procs = [subprocess.Popen(command("build", lesson, "-o", out, "-j", "1", "--only", "slides"),
                              env=environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert not any("Traceback" in o for o in outputs)
    assert any("waiting for another slidegen build" in o for o in outputs) or \
        any("3 up to date" in o for o in outputs)
    assert not os.path.exists(os.path.join(out, ".slidegen", "manifest.json.tmp"))
    unchanged_outside()
    recovers(lesson, out, cold, "--only", "slides")


def test_temporary_files_of_a_killed_build_are_cleaned(world):
    lesson, out, cold, _, _ = world
    assert build(lesson, "-o", out, "--only", "slides").exit_code == 0
    left = [os.path.join(out, "slides", ".tmp-slidegen-99999-0a1b2c"),
            os.path.join(out, ".slidegen", "manifest.json.tmp"),
            os.path.join(out, ".slidegen", "cache", ".tmp-x8k2l1")]
    for p in left:
        with open(p, "wb") as f:
            f.write(b"half a file")
    assert build(lesson, "-o", out, "--only", "slides", "--force").exit_code == 0
    assert not any(os.path.exists(p) for p in left)
    recovers(lesson, out, cold, "--only", "slides")


def test_outputs_reach_the_disk_before_they_replace_the_old_ones(world, monkeypatch):
    """Outputs and the manifest are fsynced before they are renamed into place (cache entries,
    checked when read, are not)."""
    lesson, out, _, _, _ = world
    synced, order = set(), []
    real_fsync, real_rename = os.fsync, os.rename

    def fsync(fd):
        synced.add(os.readlink(f"/proc/self/fd/{fd}"))
        return real_fsync(fd)

    def rename(src, dst, *, src_dir_fd=None, dst_dir_fd=None):
        folder = os.readlink(f"/proc/self/fd/{src_dir_fd}") if src_dir_fd is not None else ""
        order.append((os.path.join(folder, src), os.path.join(folder, dst),
                      os.path.join(folder, src) in synced))
        return real_rename(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(os, "replace", lambda src, dst, **kw: rename(src, dst, **kw))
    assert build(lesson, "-o", out, "-j", "1", "--only", "slides").exit_code == 0
    durable = [(dst, ok) for _, dst, ok in order
               if dst.endswith(".pptx") or dst.endswith("manifest.json")]
    assert len(durable) == 4 and all(ok for _, ok in durable), order
    assert all(os.path.basename(p).startswith(f".tmp-slidegen-{os.getpid()}-")
               for p, _, _ in order)


# -- hostile folders -------------------------------------------------------------------------

def test_a_hostile_output_tree_cannot_reach_outside(world, tmp_path):
    """The default OUT lives inside the lesson, so a repository can plant links and a manifest
    in it: nothing outside OUT is written, read or deleted, nor a file in OUT slidegen did not
    write."""
    lesson, _, cold, sentinel, unchanged_outside = world
    out = os.path.join(lesson, "_slidegen")
    os.makedirs(os.path.join(out, ".slidegen"))
    os.symlink(sentinel, os.path.join(out, ".slidegen", "cache"))
    os.makedirs(os.path.join(out, "slides"))
    with open(os.path.join(out, "slides", "mine.pptx"), "wb") as f:
        f.write(b"a deck slidegen never wrote")
    os.symlink(os.path.join(sentinel, "handout.pdf"), os.path.join(out, "slides", "00-gone.pptx"))
    with open(os.path.join(out, ".slidegen", "manifest.json"), "w") as f:
        json.dump({"format": 1, "lesson": {}, "episodes": {"_episodes/00-gone.md": {
            "key": None, "deps": {}, "wanted": [], "diagnostics": [],
            "outputs": {"slides/mine.pptx": None, "slides/00-gone.pptx": None,
                        "../sentinel/notes.txt": None}}}}, f)
    result = build(lesson, "--only", "slides")
    assert result.exit_code == 0, result.output
    assert "removed" not in result.output
    assert os.path.exists(os.path.join(out, "slides", "mine.pptx"))
    assert not os.path.islink(os.path.join(out, ".slidegen", "cache"))   # its own folder now
    unchanged_outside()

    os.symlink(sentinel, os.path.join(out, "handouts"))                  # where handouts go
    refused = build(lesson)
    assert refused.exit_code == 2
    assert "handouts is a symbolic link" in refused.output
    unchanged_outside()
    os.unlink(os.path.join(out, "handouts"))
    os.unlink(os.path.join(out, "slides", "mine.pptx"))      # what the repository planted
    os.unlink(os.path.join(out, "slides", "00-gone.pptx"))
    recovers(lesson, out, cold)


def test_a_committed_output_folder_that_is_a_link_is_refused(world):
    lesson, _, _, sentinel, unchanged_outside = world
    os.symlink(sentinel, os.path.join(lesson, "_slidegen"))
    result = build(lesson, "--only", "slides")
    assert result.exit_code == 2
    assert "_slidegen is a symbolic link" in result.output
    unchanged_outside()


def _theme(tmp_path, template: str, **files) -> str:
    theme = tmp_path / "theme"
    (theme / "handout").mkdir(parents=True)
    (theme / "theme.toml").write_text('description = "shared"\n')
    (theme / "handout" / "episode.html.j2").write_text(template)
    for name, text in files.items():
        (theme / name).write_text(text)
    return str(theme)


def test_a_theme_template_cannot_run_code(world, tmp_path):
    lesson, out, cold, _, unchanged_outside = world
    theme = _theme(tmp_path, '{% extends "base.html.j2" %}{% block body %}'
                   "<p>{{ cycler.__init__.__globals__.os.popen('id').read() }}</p>"
                   "{% endblock %}")
    result = build(lesson, "-o", out, "--theme", theme, "-j", "1")
    assert result.exit_code == 1
    assert "theme 'theme': handout template episode.html.j2 failed" in result.output
    assert "is unsafe" in result.output            # the sandbox's word for it
    for name in (os.listdir(os.path.join(out, "handouts"))
                 if os.path.isdir(os.path.join(out, "handouts")) else []):
        assert "uid=" not in pdf_text(os.path.join(out, "handouts", name))
    unchanged_outside()


def test_a_theme_stamp_template_that_runs_its_texts_together_is_named(world, tmp_path):
    """A theme's stamp.html.j2 must give each running text a positioned block of its own (each
    page's stamp is cut out of one sheet of them): one that runs them together in one block
    is an error naming the theme and the template, not a page with every page's number."""
    lesson, out, _, _, _ = world
    theme = _theme(tmp_path, "")
    os.unlink(os.path.join(theme, "handout", "episode.html.j2"))
    (tmp_path / "theme" / "handout" / "stamp.html.j2").write_text(
        "<html><body><p>{% for kind, text in texts %}{{ text }} {% endfor %}</p></body></html>")
    result = build(lesson, "-o", out, "--theme", theme, "-j", "1")
    assert result.exit_code == 1
    assert "theme 'theme': handout template stamp.html.j2 must draw each of its" in result.output
    assert "Traceback" not in result.output


def test_a_theme_reads_only_its_own_regular_files(world, tmp_path):
    lesson, out, cold, sentinel, unchanged_outside = world
    secret = os.path.join(sentinel, "notes.txt")
    theme = _theme(tmp_path, '{% extends "base.html.j2" %}{% block body %}'
                   '<p>{% include "leak.j2" ignore missing %}</p>{{ super() }}{% endblock %}')
    os.symlink(secret, os.path.join(theme, "handout", "leak.j2"))
    result = build(lesson, "-o", out, "--theme", theme, "-j", "1")
    assert result.exit_code == 0, result.output
    assert "keep me" not in pdf_text(os.path.join(out, "handout.pdf"))

    other = _theme(tmp_path / "other", "")
    with open(os.path.join(other, "theme.toml"), "a") as f:
        f.write(f'[deck]\ntemplate = "{os.path.join(sentinel, "handout.pdf")}"\n')
    refused = build(lesson, "-o", out, "--theme", other)
    assert refused.exit_code == 2
    assert "a theme's files stay in its folder" in refused.output
    unchanged_outside()


def test_a_fifo_in_a_theme_never_hangs_the_build(world, tmp_path):
    lesson, out, _, _, _ = world
    theme = _theme(tmp_path, "")
    os.unlink(os.path.join(theme, "handout", "episode.html.j2"))
    os.mkfifo(os.path.join(theme, "handout", "episode.html.j2"))
    os.mkfifo(os.path.join(theme, "deck.pptx"))
    with open(os.path.join(theme, "theme.toml"), "a") as f:
        f.write('[deck]\ntemplate = "deck.pptx"\n')
    done = subprocess.run(command("build", lesson, "-o", out, "--theme", theme), env=environment(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "'deck.template' names 'deck.pptx', which is not a file" in done.stderr
    with open(os.path.join(theme, "theme.toml"), "w") as f:
        f.write('description = "shared"\n')
    done = subprocess.run(command("build", lesson, "-o", out, "--theme", theme, "-j", "1"),
                          env=environment(), capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr
    assert os.path.exists(os.path.join(out, "handout.pdf"))   # the template it extends is used


# -- stale or lost outputs, second round (issue 31, items 1-7 and two more) -------------------
# Each case: the fault, then the next plain build gives exactly what a --force build gives.

def _with_figure(lesson: str, name: str = "02-beta.md") -> str:
    """Episode `name` shows fig/pic.png (not created here)."""
    path = os.path.join(lesson, "_episodes", name)
    with open(path, "a") as f:
        f.write("\n![A picture of the data](../fig/pic.png)\n")
    os.makedirs(os.path.join(lesson, "fig"), exist_ok=True)
    return os.path.join(lesson, "fig", "pic.png")


def test_a_config_edited_during_a_build_is_built_next_time(world, monkeypatch):
    """The config is read as the build starts; an edit made while episodes are built must not
    be recorded as what they were built from."""
    lesson, out, cold, _, _ = world
    config = os.path.join(lesson, "_config.yml")
    real_theme = runner.load_theme

    def edit_then_load(name):             # after the lesson is read, before any episode job
        with open(config, "w") as f:
            f.write('title: "Renamed Lesson"\n')
        return real_theme(name)
    monkeypatch.setattr(runner, "load_theme", edit_then_load)
    assert build(lesson, "-o", out, "-j", "1").exit_code == 0
    monkeypatch.setattr(runner, "load_theme", real_theme)
    again = build(lesson, "-o", out, "-j", "1")
    assert "0 up to date" in again.output, again.output
    assert "RENAMED LESSON" in pdf_text(os.path.join(out, "handouts", "01-alpha.pdf")).upper()
    recovers(lesson, out, cold)


def test_a_missing_image_that_appears_is_built(world):
    lesson, out, cold, _, _ = world
    picture = _with_figure(lesson)
    first = build(lesson, "-o", out)
    assert "image '../fig/pic.png' is not in the lesson" in first.output
    with open(picture, "wb") as f:
        f.write(png("#336699"))
    again = build(lesson, "-o", out)
    assert "1 up to date" not in again.output and "2 up to date" in again.output, again.output
    recovers(lesson, out, cold)


def test_a_config_moved_away_and_back_is_noticed(world):
    lesson, out, cold, _, _ = world
    config = os.path.join(lesson, "_config.yml")
    assert build(lesson, "-o", out, "--only", "slides").exit_code == 0
    os.rename(config, config + ".away")
    assert build(lesson, "-o", out, "--only", "slides").exit_code == 0
    os.rename(config + ".away", config)
    again = build(lesson, "-o", out, "--only", "slides")
    assert "0 up to date" in again.output, again.output
    recovers(lesson, out, cold, "--only", "slides")


def test_renaming_an_episode_to_rmd_keeps_its_outputs(world):
    lesson, out, cold, _, _ = world
    assert build(lesson, "-o", out).exit_code == 0
    episodes = os.path.join(lesson, "_episodes")
    os.rename(os.path.join(episodes, "01-alpha.md"), os.path.join(episodes, "01-alpha.Rmd"))
    renamed = build(lesson, "-o", out)
    assert renamed.exit_code == 0, renamed.output
    assert "removed" not in renamed.output
    assert os.path.isfile(os.path.join(out, "slides", "01-alpha.pptx"))
    assert os.path.isfile(os.path.join(out, "handouts", "01-alpha.pdf"))
    recovers(lesson, out, cold)


def test_md_and_rmd_twins_are_one_episode_with_a_warning(world):
    lesson, out, cold, _, _ = world
    episodes = os.path.join(lesson, "_episodes")
    with open(os.path.join(episodes, "01-alpha.Rmd"), "w") as f:
        f.write(episode("Alpha Rmd"))
    result = build(lesson, "-o", out)
    assert result.exit_code == 0, result.output
    assert ("_episodes/01-alpha.md: warning: _episodes/01-alpha.Rmd and _episodes/01-alpha.md "
            "are the same episode") in result.output
    text = pdf_text(os.path.join(out, "handout.pdf"))
    assert text.count("About Alpha Rmd") == 1 and text.count("About Alpha") == 1
    assert build(lesson, "-o", out).exit_code == 0      # and again, from the cache
    assert pdf_text(os.path.join(out, "handout.pdf")).count("About Alpha") == 1
    recovers(lesson, out, cold)


def test_a_failed_episode_keeps_its_pages_without_the_cache(world):
    lesson, out, cold, _, _ = world
    assert build(lesson, "-o", out).exit_code == 0
    pages = pdf_pages(os.path.join(out, "handout.pdf"))
    shutil.rmtree(os.path.join(out, ".slidegen", "cache"))
    alpha = os.path.join(lesson, "_episodes", "01-alpha.md")
    with open(alpha) as f:
        good = f.read()
    with open(alpha, "w") as f:
        f.write(good.replace('title: "Alpha"', "title: [broken"))
    # (an edit to another episode, so that handout.pdf is made again: a failed episode alone
    # leaves it as it was)
    with open(os.path.join(lesson, "_episodes", "02-beta.md"), "a") as f:
        f.write("\nOne more line about Beta.\n")
    failed = build(lesson, "-o", out)
    assert failed.exit_code == 1
    assert "handout.pdf has the last good pages of _episodes/01-alpha.md" in failed.output
    handout = os.path.join(out, "handout.pdf")
    assert pdf_pages(handout) == pages
    text = pdf_text(handout)
    assert "About Alpha" in text and text.count("page 1 of") == 0
    titles = [item.title for item in pypdf.PdfReader(handout).outline
              if not isinstance(item, list)]
    assert titles == ["Alpha", "Beta", "Gamma"]
    with open(alpha, "w") as f:
        f.write(good)
    recovers(lesson, out, cold)


def test_cached_pages_are_checked_before_they_are_used(world):
    """Two cached episodes swapped (equal page counts): the whole-lesson handout must not put
    one episode's pages under the other's bookmark."""
    lesson, out, cold, _, _ = world
    assert build(lesson, "-o", out).exit_code == 0
    cache = os.path.join(out, ".slidegen", "cache")
    beta, gamma = (os.path.join(cache, f"{stem}.pdf") for stem in ("02-beta", "03-gamma"))
    os.rename(beta, beta + ".x")
    os.rename(gamma, beta)
    os.rename(beta + ".x", gamma)
    with open(os.path.join(lesson, "_episodes", "01-alpha.md"), "a") as f:
        f.write("\nOne more line.\n")
    again = build(lesson, "-o", out)
    assert again.exit_code == 0, again.output
    reader = pypdf.PdfReader(os.path.join(out, "handout.pdf"))
    for item in reader.outline:
        if not isinstance(item, list) and item.title in ("Beta", "Gamma"):
            page = reader.pages[reader.get_destination_page_number(item)]
            assert f"About {item.title}" in page.extract_text()
    recovers(lesson, out, cold)


def test_outputs_do_not_depend_on_where_the_lesson_is(world, tmp_path):
    lesson, _, _, _, _ = world
    with open(_with_figure(lesson), "wb") as f:
        f.write(png("#336699"))
    assert build(lesson).exit_code == 0             # OUT in the lesson: it moves along
    moved = str(tmp_path / "elsewhere" / "lesson")
    os.makedirs(os.path.dirname(moved))
    shutil.move(lesson, moved)
    with open(os.path.join(moved, "_episodes", "01-alpha.md"), "a") as f:
        f.write("\nOne more line.\n")
    again = build(moved)
    assert "2 up to date" in again.output, again.output
    fresh = build(moved, "-o", str(tmp_path / "fresh"), "--force")
    assert fresh.exit_code == 0
    kept = snapshot(os.path.join(moved, "_slidegen"))
    kept.pop(".gitignore")
    assert kept == snapshot(str(tmp_path / "fresh"))


def test_a_new_renderer_version_rebuilds(world, monkeypatch):
    lesson, out, _, _, _ = world
    assert build(lesson, "-o", out).exit_code == 0
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "99.0" if name.lower() == "weasyprint" else real(name))
    # (an upgrade changes the folder it installs into: the versions are looked up again)
    folders = manifest._package_folders()
    monkeypatch.setattr(manifest, "_package_folders", lambda: folders + [["upgraded", 1]])
    manifest.renderer_versions.cache_clear()
    try:
        again = build(lesson, "-o", out, "--verbose")
    finally:
        manifest.renderer_versions.cache_clear()      # the real versions for other tests
    assert "0 up to date" in again.output, again.output
    assert "the renderers changed" in again.output


def test_renderer_versions_are_looked_up_again_only_when_a_package_folder_changed(world,
                                                                                 monkeypatch):
    """The versions found are kept in OUT with the package folders' times; a new version in
    an unchanged folder is not looked for (no installer does that), one in a changed folder
    is."""
    lesson, out, _, _, _ = world
    manifest.renderer_versions.cache_clear()
    assert build(lesson, "-o", out).exit_code == 0
    kept = manifest.renderer_versions(out)
    asked = []
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: asked.append(name) or real(name))
    manifest.renderer_versions.cache_clear()
    try:
        assert manifest.renderer_versions(out) == kept and asked == []
        folders = manifest._package_folders()
        monkeypatch.setattr(manifest, "_package_folders", lambda: folders[:-1])
        manifest.renderer_versions.cache_clear()
        assert manifest.renderer_versions(out) == kept
        assert asked == list(manifest.RENDERER_PACKAGES)
    finally:
        manifest.renderer_versions.cache_clear()


def test_an_episode_name_too_long_for_the_disk_is_a_clear_error(world):
    lesson, out, _, _, _ = world
    name = "04-" + "long" * 61 + "x.md"                     # 251 characters
    assert len(name) == 251
    with open(os.path.join(lesson, "_episodes", name), "w") as f:
        f.write(episode("Long"))
    result = build(lesson, "-o", out)
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    assert f"_episodes/{name}: error: the file name is too long" in result.output
    assert "built 3 decks" in result.output


def test_watch_waits_for_episodes_to_come_back(world):
    """A `git checkout` can take the episode folder away for a moment: --watch goes on."""
    lesson, out, _, _, _ = world
    proc = subprocess.Popen(command("build", lesson, "-o", out, "--watch", "--only", "slides"),
                            env=environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        deck = os.path.join(out, "slides", "01-alpha.pptx")
        wait_for(lambda: os.path.exists(deck))
        time.sleep(1)
        episodes = os.path.join(lesson, "_episodes")
        os.rename(episodes, episodes + ".away")
        time.sleep(2)
        os.rename(episodes + ".away", episodes)
        time.sleep(2)
        assert proc.poll() is None, proc.stdout.read()
        before = os.stat(deck).st_mtime_ns
        state = os.path.join(out, ".slidegen", "manifest.json")
        recorded = os.stat(state).st_mtime_ns
        with open(os.path.join(episodes, "01-alpha.md"), "a") as f:
            f.write("\nOne more line.\n")
        wait_for(lambda: os.stat(deck).st_mtime_ns != before)
        # (the build ends by recording it: Ctrl-C before that interrupts the build instead)
        wait_for(lambda: os.stat(state).st_mtime_ns != recorded)
        time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGINT)
        output = proc.communicate(timeout=30)[0]
    assert "Traceback" not in output
    assert "stopped watching" in output


# -- small faults found while resolving issue 31 ------------------------------------------------

def test_the_summary_says_what_episodes_that_failed_wrote(world, tmp_path):
    """A theme's handout template fails after the decks were written in a fresh OUT: the
    summary counts those decks, and no line claims that earlier outputs were kept."""
    lesson, out, _, _, _ = world
    theme = _theme(tmp_path, '{% extends "base.html.j2" %}{% block body %}{{ no.such.thing }}'
                   "{% endblock %}")
    result = build(lesson, "-o", out, "--theme", theme, "-j", "1")
    assert result.exit_code == 1, result.output
    assert sorted(os.listdir(os.path.join(out, "slides"))) == \
        ["01-alpha.pptx", "02-beta.pptx", "03-gamma.pptx"]
    assert "built 3 decks, 0 handouts" in result.output, result.output
    assert "_episodes/01-alpha.md: failed after writing deck 5 slides (1 hidden); its other " \
           "outputs keep their earlier versions" in result.output
    assert "3 episodes failed: _episodes/01-alpha.md, _episodes/02-beta.md, " \
           "_episodes/03-gamma.md; 3 decks written before the failure, their other outputs " \
           "keep their earlier versions" in result.output
    assert "kept their earlier outputs" not in result.output


def _deck_xml(path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                       if n.startswith("ppt/slides/slide"))


def test_a_watch_rebuild_uses_the_theme_as_edited(world, monkeypatch):
    """`build --watch` with the lesson's own theme: an edit to its theme.toml and its CSS is
    used by the next rebuild, not only at the next start."""
    lesson, out, _, _, _ = world
    theme = os.path.join(lesson, "our-theme")
    os.makedirs(theme)

    def write_theme(heading: str, word: str) -> None:
        with open(os.path.join(theme, "theme.toml"), "w") as f:
            f.write(f'description = "ours"\n[colours]\nheading = "{heading}"\n'
                    '[handout]\ncss = "extra.css"\n')
        with open(os.path.join(theme, "extra.css"), "w") as f:
            f.write(f'h1::after {{ content: " {word}" }}\n')
    write_theme("#1a2a6c", "Firstversion")
    args = (lesson, "-o", out, "--theme", theme, "-j", "1")
    assert build(*args).exit_code == 0
    deck, handout = os.path.join(out, "slides", "01-alpha.pptx"), os.path.join(out, "handout.pdf")
    assert "1A2A6C" in _deck_xml(deck).upper() and "Firstversion" in pdf_text(handout)

    write_theme("#0b6e4f", "Secondversion")     # edited while --watch runs
    rebuilt = []
    monkeypatch.setattr(watchfiles, "watch", lambda *paths, **kw: iter([{("modified", theme)}]))
    watch.watch_lesson(lesson, out, lambda: rebuilt.append(build(*args)), theme=theme)  # as the CLI
    assert [r.exit_code for r in rebuilt] == [0], rebuilt[0].output
    assert "0 up to date" in rebuilt[0].output            # the edit is noticed …
    assert "0B6E4F" in _deck_xml(deck).upper()            # … and used
    assert "Secondversion" in pdf_text(handout) and "Firstversion" not in pdf_text(handout)


def test_a_watch_rebuild_reads_the_theme_again_only_after_an_edit_to_it(world, monkeypatch):
    """Under `build --watch`, an edit to an episode keeps what was made from the theme (its
    stylesheet and fonts, a tenth of a second of every edit's wait); an edit to a theme file
    has the theme read again before the rebuild."""
    lesson, out, _, _, _ = world
    theme = os.path.join(lesson, "our-theme")
    os.makedirs(theme)
    with open(os.path.join(theme, "theme.toml"), "w") as f:
        f.write('description = "ours"\n')
    episode = os.path.join(lesson, "_episodes", "01-alpha.md")
    changes = [{("modified", episode)}, {("modified", os.path.join(theme, "theme.toml"))},
               {("modified", episode)}]
    forgotten, rebuilt = [], []
    monkeypatch.setattr(watchfiles, "watch", lambda *paths, **kw: iter(changes))
    monkeypatch.setattr(watch, "forget_themes", lambda: forgotten.append(len(rebuilt)))
    watch.watch_lesson(lesson, out, lambda: rebuilt.append(1), theme=theme)
    assert len(rebuilt) == 3 and forgotten == [1]       # before the second rebuild only


def test_outputs_do_not_depend_on_where_the_lesson_and_its_theme_are(world, tmp_path):
    """A theme kept in the lesson (`--theme ./our-theme`, its own font and a picture its CSS
    shows) moves with the lesson: the next build equals a --force build byte for byte."""
    lesson, _, _, _, _ = world
    theme = os.path.join(lesson, "our-theme")
    os.makedirs(os.path.join(theme, "fonts"))
    with open(os.path.join(theme, "theme.toml"), "w") as f:
        f.write('description = "ours"\n[handout]\ncss = "extra.css"\n')
    with open(os.path.join(theme, "extra.css"), "w") as f:
        f.write("h1 { background: url(mark.png) no-repeat right; }\n")
    with open(os.path.join(theme, "mark.png"), "wb") as f:
        f.write(png("#aa3355"))
    shutil.copy(os.path.join(os.path.dirname(slidegen.__file__), "fonts",
                             "LiberationSans-Bold.ttf"), os.path.join(theme, "fonts"))
    first = run("build", ".", "--theme", "./our-theme", cwd=lesson)
    assert first.returncode == 0 and "; 0 warnings;" in first.stderr, first.stderr   # all read
    moved = str(tmp_path / "elsewhere" / "lesson")
    os.makedirs(os.path.dirname(moved))
    shutil.move(lesson, moved)
    with open(os.path.join(moved, "_episodes", "01-alpha.md"), "a") as f:
        f.write("\nOne more line.\n")
    again = run("build", ".", "--theme", "./our-theme", cwd=moved)     # (a process each, as
    assert "2 up to date" in again.stderr, again.stderr                 # a user runs them)
    fresh = run("build", ".", "-o", str(tmp_path / "fresh"), "--force", "--theme", "./our-theme",
                cwd=moved)
    assert fresh.returncode == 0, fresh.stderr
    kept = snapshot(os.path.join(moved, "_slidegen"))
    kept.pop(".gitignore")
    assert kept == snapshot(str(tmp_path / "fresh"))


def test_no_temporary_folder_is_left_behind_and_every_line_is_said(world, tmp_path):
    """The command ends without tearing the interpreter down: what it prints is still all
    there, its exit code is the build's, and the temporary font folders WeasyPrint makes (in
    the command's process, and in a worker that loads the fonts itself: an edit's rebuild) are
    removed; a forked process ended without ever removing its own."""
    lesson, out, _, _, _ = world
    temp = tmp_path / "temp"
    temp.mkdir()
    env = environment(TMPDIR=str(temp))

    def slidegen(*args):
        return subprocess.run(command("build", lesson, "-o", out, "-j", "2", *args),
                              capture_output=True, text=True, timeout=300, env=env)
    cold = slidegen()
    assert cold.returncode == 0 and "built 3 decks, 3 handouts" in cold.stderr, cold.stderr
    assert cold.stderr.rstrip().endswith(f"outputs in {out}")
    with open(os.path.join(lesson, "_episodes", "01-alpha.md"), "a") as f:
        f.write("\nOne more line.\n")
    edit = slidegen()                      # (one episode for two workers: each loads the fonts)
    assert edit.returncode == 0 and "built 1 deck, 1 handout" in edit.stderr, edit.stderr
    assert not [p.name for p in temp.iterdir() if p.name.startswith("weasyprint-")]
    failed = subprocess.run(command("build", str(tmp_path / "nowhere")), capture_output=True,
                            text=True, timeout=60, env=env)
    assert failed.returncode == 2 and "no such lesson" in failed.stderr
