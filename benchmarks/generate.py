"""Big lessons for the benchmark, generated from this project's own sample lesson.

- `many_episodes(dest, n)`: the sample lesson with its episodes copied round-robin until there
  are `n` of them (each with its own title), as a long multi-day course would have;
- `huge_episode(dest, size)`: the sample lesson with one more episode of about `size` bytes —
  the sample episodes' text over and over, plus 5,000 lines of code in blocks of 50 and a
  2,000-row table — the worst case a lesson generator or a pasted log makes.
"""
from __future__ import annotations

import os
import re
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.normpath(os.path.join(HERE, ".."))
_FOLDERS = ("_episodes", "_includes", "fig")


def copy_sample(dest: str) -> str:
    """The sample lesson (config, episodes, includes, figures) in `dest`."""
    os.makedirs(dest, exist_ok=True)
    shutil.copy(os.path.join(SAMPLE, "_config.yml"), dest)
    for folder in _FOLDERS:
        src = os.path.join(SAMPLE, folder)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dest, folder), dirs_exist_ok=True)
    return dest


def _sample_episodes() -> list[tuple[str, str]]:
    folder = os.path.join(SAMPLE, "_episodes")
    names = sorted(f for f in os.listdir(folder) if f.endswith(".md"))
    out = []
    for name in names:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            out.append((name, f.read()))
    return out


def _retitle(text: str, title: str) -> str:
    return re.sub(r'^title:.*$', f'title: "{title}"', text, count=1, flags=re.M)


def many_episodes(dest: str, n: int = 200) -> str:
    copy_sample(dest)
    folder = os.path.join(dest, "_episodes")
    sample = _sample_episodes()
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    width = len(str(n))
    for i in range(n):
        name, text = sample[i % len(sample)]
        stem = re.sub(r"^\d+-", "", name)
        with open(os.path.join(folder, f"{i:0{width}d}-{stem}"), "w", encoding="utf-8") as f:
            f.write(_retitle(text, f"Part {i + 1}: {stem[:-3].replace('-', ' ')}"))
    return dest


def _body(text: str) -> str:
    """An episode's text after its front matter."""
    parts = text.split("---\n", 2)
    return parts[2] if len(parts) == 3 else text


def _code_block(k: int, lines: int = 50) -> str:
    body = "\n".join(f"    total_{k}_{i} = compute(step={i}, block={k})  # line {i + 1} of {lines}"
                     for i in range(lines))
    return f"~~~\ndef block_{k}():\n{body}\n~~~\n{{: .language-python}}\n"


def _table(rows: int) -> str:
    head = "| Run | Episode | Slides | Pages | Seconds | Note |\n|---|---|---|---|---|---|\n"
    return head + "".join(f"| {i + 1} | episode {i % 23 + 1} | {10 + i % 31} | {3 + i % 11} | "
                          f"{(i * 37) % 997 / 10:.1f} | row {i + 1} of the long table |\n"
                          for i in range(rows))


def huge_episode(dest: str, size: int = 1_500_000, code_lines: int = 5000,
                 table_rows: int = 2000) -> str:
    """The sample lesson plus `_episodes/99-huge.md` of about `size` bytes."""
    copy_sample(dest)
    bodies = [_body(t) for _, t in _sample_episodes()]
    parts = ["---\ntitle: \"A Very Long Episode\"\nteaching: 600\nexercises: 120\n"
             "questions:\n- \"How does a build cope with a very long episode?\"\n"
             "objectives:\n- \"Build it within a minute and a bounded memory.\"\n"
             "keypoints:\n- \"Long episodes are laid out in parts.\"\n---\n\n",
             "## A long table\n\n", _table(table_rows), "\n"]
    blocks = code_lines // 50
    for k in range(blocks):
        parts.append(f"\n## Section {k + 1}\n\n")
        parts.append(bodies[k % len(bodies)].replace("\n## ", "\n### "))
        parts.append("\nThe code for this section:\n\n" + _code_block(k))
    text = "".join(parts)
    k = 0
    while len(text.encode()) < size:          # top up with prose to the size asked for
        text += (f"\n## More reading {k + 1}\n\n"
                 + bodies[k % len(bodies)].replace("\n## ", "\n### "))
        k += 1
    with open(os.path.join(dest, "_episodes", "99-huge.md"), "w", encoding="utf-8") as f:
        f.write(text)
    return dest
