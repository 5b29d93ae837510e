"""Reading real lessons, third round (issue 27): kramdown fences in list items, block attribute
lines with classes slidegen does not know, `episode_order`, empty summaries, pandoc
superscripts and subscripts, and warnings worth reading (one per problem, at the line to fix)."""
from __future__ import annotations

from click.testing import CliRunner

from slidegen.cli import main
from slidegen.model import Code, Heading, ListBlock, Paragraph, Special, walk
from slidegen.read import read_lesson


def blocks_of(root, stem=None):
    episodes = read_lesson(root).lesson.episodes
    return next(e for e in episodes if stem is None or e.stem == stem).blocks


def texts(blocks) -> str:
    return "\n".join(b.text for b, _ in walk(blocks)
                     if isinstance(b, (Paragraph, Heading, Code)))


def specials(blocks, kind):
    return [b for b, _ in walk(blocks) if isinstance(b, Special) and b.kind == kind]


def check(root, *args):
    return CliRunner().invoke(main, ["check", root, *args])


EPISODE = "---\ntitle: {title}\nteaching: 5\nexercises: 5\n---\n"

# -- reading -------------------------------------------------------------------------------------

FENCE_IN_LAZY_ITEM = EPISODE.format(title="Threads") + """
> ## Set the threads
>
> 1. Set the number of threads by typing
       ~~~
       export OMP_NUM_THREADS=4
       ~~~
       {: .language-bash}
> 2. Run the program.
{: .challenge}

- Or set it in your job script
 before the run
     ~~~
     export OMP_NUM_THREADS=8
     ~~~
     {: .language-bash}
"""


def test_a_kramdown_fence_after_a_lazy_item_line_is_code(make_lesson):
    root = make_lesson({"_episodes/01-threads.md": FENCE_IN_LAZY_ITEM})
    blocks = blocks_of(root)
    challenge = specials(blocks, "challenge")[0]
    codes = [b for b, _ in walk(challenge.children) if isinstance(b, Code)]
    assert [(c.text, c.lang) for c in codes] == [("export OMP_NUM_THREADS=4", "bash")]
    assert "~~~" not in texts(blocks) and "{:" not in texts(blocks)
    lists = [b for b in blocks if isinstance(b, ListBlock)]
    # the second command stays in its list item, as kramdown reads it
    assert any(isinstance(x, Code) and x.text == "export OMP_NUM_THREADS=8"
               for x in lists[-1].items[0])
