"""Helpers for the build-safety and fault tests: a tiny lesson of our own, snapshots of OUT and of
everything outside it, and builds run in this process or as a real `slidegen` process."""
from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import time

import pypdf
from click.testing import CliRunner
from PIL import Image as PILImage

from slidegen.cli import main

EPOCH = "1700000000"

EPISODE = """---
title: "{title}"
teaching: 5
exercises: 5
keypoints:
- "{title} matters."
---

## About {title}

{body}

> ## Try {title} (5 min)
>
> Write down what {title} does.
>
> > ## Solution
> >
> > SECRET-{title}
> {{: .solution}}
{{: .challenge}}
"""


def episode(title: str, paragraphs: int = 1) -> str:
    body = "\n\n".join(f"Paragraph {i} about {title}: learners read this and try it out."
                       for i in range(paragraphs))
    return EPISODE.format(title=title, body=body)


def tiny_lesson(root, titles=("Alpha", "Beta", "Gamma"), paragraphs=1) -> str:
    """A styles lesson with one short episode per title (01-alpha.md …)."""
    root = str(root)
    os.makedirs(os.path.join(root, "_episodes"), exist_ok=True)
    with open(os.path.join(root, "_config.yml"), "w") as f:
        f.write('title: "Tiny Lesson"\n')
    for i, title in enumerate(titles, 1):
        with open(os.path.join(root, "_episodes", f"{i:02d}-{title.lower()}.md"), "w") as f:
            f.write(episode(title, paragraphs))
    return root


def sha(path) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def snapshot(out) -> dict:
    """Every output in OUT (not slidegen's state) and its hash."""
    found = {}
    for base, _, files in os.walk(out):
        for name in files:
            p = os.path.join(base, name)
            rel = os.path.relpath(p, out)
            if not rel.startswith(".slidegen"):
                found[rel] = sha(p)
    return found


def tree(path, skip=()) -> dict:
    """Everything under `path` but the folders in `skip`: files by hash, links by target, so
    that any change outside OUT shows."""
    found = {}
    skip = {os.path.abspath(s) for s in skip}
    for base, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if os.path.abspath(os.path.join(base, d)) not in skip]
        for name in files + [d for d in dirs if os.path.islink(os.path.join(base, d))]:
            p = os.path.join(base, name)
            rel = os.path.relpath(p, path)
            found[rel] = ("link", os.readlink(p)) if os.path.islink(p) else \
                (sha(p) if os.path.isfile(p) else "special")
    return found


def build(*args):
    """`slidegen build ARGS` in this process; never a traceback."""
    result = CliRunner().invoke(main, ["build", *args])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


def command(*args) -> list[str]:
    return [sys.executable, "-m", "slidegen", *args]


def environment(**extra) -> dict:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    env.update(extra)
    return env


def run(*args, timeout=120, **kw) -> subprocess.CompletedProcess:
    """`slidegen ARGS` as a real process (for kills, concurrency and hangs)."""
    return subprocess.run(command(*args), capture_output=True, text=True, timeout=timeout,
                          env=environment(), **kw)


MEASURED = """
import json, resource, subprocess, sys
cap, cpu, timeout, merge = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
def limits():
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))     # a regression fails the test
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))    # rather than take the machine down
try:
    done = subprocess.run(sys.argv[5:], stdout=subprocess.PIPE, text=True, preexec_fn=limits,
                          stderr=subprocess.STDOUT if merge == "1" else subprocess.PIPE,
                          timeout=timeout)
    code, out = done.returncode, done.stdout if merge == "1" else done.stderr
except subprocess.TimeoutExpired as e:
    code, out = "timeout", str(e.output if merge == "1" else e.stderr)
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([code, out, use.ru_utime + use.ru_stime, use.ru_maxrss / 1024]))
"""


def measured_argv(argv: list[str], cap_bytes: int = 1 << 30, cpu_s: int = 30,
                  timeout: float = 90, merge: bool = False) -> tuple:
    """`argv` under a memory cap (RLIMIT_AS) and a CPU limit, measured by the kernel: (exit code,
    stderr (or stdout and stderr if `merge`), CPU seconds, peak resident MB) of it alone.

    It runs from a small launcher process, because Linux carries the forking process's peak
    resident size into a child's across exec: measured straight from pytest, a build would be
    charged with the test process's own hundreds of MB."""
    done = subprocess.run([sys.executable, "-c", MEASURED, str(cap_bytes), str(cpu_s),
                           str(timeout), "1" if merge else "0", *argv], capture_output=True,
                          text=True, env=environment(), timeout=timeout + 60)
    return tuple(json.loads(done.stdout))


def png(colour, size=(60, 40)) -> bytes:
    """A small picture of one colour, as a lesson's figure."""
    buf = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


def wait_for(condition, timeout: float = 60) -> None:
    """Until `condition()` holds (a watching build's output appears or changes)."""
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.2)


def pdf_text(path) -> str:
    return "".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def pdf_pages(path) -> int:
    return len(pypdf.PdfReader(path).pages)


def recovers(lesson, out, cold, *args) -> None:
    """The next plain build after a fault gives exactly what a --force build from nothing
    gives."""
    again = build(lesson, "-o", out, *args)
    assert again.exit_code == 0, again.output
    fresh = build(lesson, "-o", cold, "--force", *args)
    assert fresh.exit_code == 0, fresh.output
    assert snapshot(out) == snapshot(cold)


def children(pid: int) -> list[int]:
    """The live child processes of `pid` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return sorted(found)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
