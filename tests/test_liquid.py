"""Liquid in styles lessons, evaluated as Jekyll does (python-liquid with Jekyll's include and
link tags), with every diagnostic naming the file and line it is about."""
from __future__ import annotations

from click.testing import CliRunner

from slidegen.cli import main
from slidegen.model import Code, Image, Paragraph, Special, plain, walk
from slidegen.read import read_lesson

CONFIG = """\
title: "HPC"
snippets: "/snippets_library/Cluster_slurm"
url: "https://example.org"
baseurl: "/hpc"
remote:
  prompt: "[user@login1 ~]$"
sched:
  name: "Slurm"
  info: "sinfo"
  submit:
    name: "sbatch"
    options: ""
collections:
  episodes:
    output: true
    permalink: /:path/index.html
"""
SNIPPET = """\
```
PARTITION  AVAIL  NODES
{{ site.sched.info }}-queue  up  4
```
{: .output}
"""
FIGURE = """\
<figure>
  <img src="{{ include.file | relative_url }}" style="max-width: {{ include.max-width }};"
       alt="{{ include.alt }}"/>
  <figcaption>{{ include.caption }}</figcaption>
</figure>
"""


def episode(body: str) -> str:
    return "---\ntitle: Liquid\n---\n\n" + body


def read(make_lesson, body: str, **files):
    root = make_lesson({"_episodes/01-liquid.md": episode(body),
                        "_includes/snippets_library/Cluster_slurm/cluster/queue-info.snip": SNIPPET,
                        "_includes/figure.html": FIGURE, "fig/cluster.svg": "<svg/>",
                        "_episodes/02-next.md": episode("Next."), **files}, config=CONFIG)
    reading = read_lesson(root)
    return reading, reading.lesson.episodes[0]


def blocks_of(episode, kind):
    return [b for b, _ in walk(episode.blocks) if isinstance(b, kind)]


def messages(reading):
    return [str(d) for d in reading.diagnostics]


def test_include_path_built_from_a_config_variable(make_lesson):
    body = ("Run `{{ site.sched.info }}`:\n\n"
            "```\n{{ site.remote.prompt }} {{ site.sched.info }}\n```\n{: .language-bash}\n\n"
            "{% include {{ site.snippets }}/cluster/queue-info.snip %}\n\n"
            "{% include {{ site.snippets }}/cluster/explore.snip %}\n")
    explore = ("> ## Explore a Worker Node\n>\n> Try this:\n>\n"
               "> ```\n> {{ site.remote.prompt }} sinfo -o \"%n %c\"\n> ```\n"
               "> {: .language-bash}\n>\n"
               "> > ## Solution\n> > It lists {{ site.sched.name }} nodes.\n"
               "> {: .solution}\n{: .challenge}\n")
    reading, e = read(make_lesson, body,
                      **{"_includes/snippets_library/Cluster_slurm/cluster/explore.snip": explore})
    codes = blocks_of(e, Code)
    assert [(c.lang, c.role) for c in codes] == [("bash", "source"), (None, "output"),
                                                 ("bash", "source")]
    assert codes[0].text == "[user@login1 ~]$ sinfo"
    assert codes[1].text == "PARTITION  AVAIL  NODES\nsinfo-queue  up  4"
    challenge = [b for b in e.blocks if isinstance(b, Special)][0]
    assert challenge.kind == "challenge" and challenge.title == "Explore a Worker Node"
    assert codes[2].text == '[user@login1 ~]$ sinfo -o "%n %c"'
    solution = challenge.children[-1]
    assert solution.kind == "solution" and solution.children[0].text == "It lists Slurm nodes."
    # lines inside a snippet are the snippet's own
    assert codes[1].line == 1 and challenge.line == 1
    assert not [m for m in messages(reading) if "include" in m or "Liquid" in m]


def test_include_arguments_quoted_hyphenated_and_filtered(make_lesson):
    body = ('{% include figure.html url="" max-width="50%"\n'
            '   file="/fig/cluster.svg"\n'
            '   alt="Schematic of a cluster and its nodes" caption="A \\"login\\" node" %}\n')
    reading, e = read(make_lesson, body)
    image = blocks_of(e, Image)[0]
    assert image.alt == "Schematic of a cluster and its nodes"
    assert 'A "login" node' in (" ".join(p.text for p in blocks_of(e, Paragraph))
                                + plain(image.caption))
    assert image.path == "fig/cluster.svg"
    assert not [b for b in blocks_of(e, Paragraph) if "max-width" in b.text]
    assert not [m for m in messages(reading) if "undefined" in m]


def test_capture_of_an_include_in_a_code_fence(make_lesson):
    body = ("{% capture queue %}{% include {{ site.snippets }}/cluster/queue-info.snip %}"
            "{% endcapture %}\n"
            "~~~\n{{ queue | strip_newlines | slice: 0, 9 }}\n~~~\n{: .output}\n\n"
            "{% assign word = '  padded  ' %}~~~\n{{ word | strip }}\n~~~\n")
    _, e = read(make_lesson, body)
    codes = blocks_of(e, Code)
    assert codes[0].text == "```PARTIT" and codes[1].text == "padded"


def test_for_case_unless_and_elsif_choose_as_liquid_does(make_lesson):
    body = ("{% for n in (1..3) %}Item {{ n }}.\n{% endfor %}\n"
            "{% case site.sched.name %}{% when 'PBS' %}Use qsub.{% when 'Slurm' %}Use sbatch."
            "{% else %}Use something.{% endcase %}\n\n"
            "{% unless site.sched.submit.options != '' %}No options.{% endunless %}\n\n"
            "{% if site.sched.name == 'PBS' %}PBS{% elsif site.sched.name == 'Slurm' %}SLURM"
            "{% else %}OTHER{% endif %}\n")
    _, e = read(make_lesson, body)
    text = "\n".join(p.text for p in blocks_of(e, Paragraph))
    assert "Item 1. Item 2. Item 3." in text
    assert "Use sbatch." in text and "qsub" not in text and "something" not in text
    assert "No options." in text
    assert "SLURM" in text and "PBS" not in text and "OTHER" not in text


def test_jekyll_built_ins_and_the_link_tag(make_lesson):
    body = ("See [the next episode]({{ site.baseurl }}{% link _episodes/02-next.md %}) "
            "and [this page]({{ site.url }}{{ site.baseurl }}{{ page.url }}).\n\n"
            "[home]({{ '/' | absolute_url }})\n")
    reading, e = read(make_lesson, body)
    hrefs = [s.href for p in blocks_of(e, Paragraph) for s in p.spans if s.href]
    assert hrefs == ["https://example.org/hpc/02-next/index.html",
                     "https://example.org/hpc/01-liquid/index.html", "https://example.org/hpc/"]
    assert not [m for m in messages(reading) if "undefined" in m or "link" in m]


def test_link_to_a_missing_file_is_a_warning(make_lesson):
    reading, _ = read(make_lesson, "Text.\n\n[x]({% link _episodes/99-gone.md %})\n")
    assert "_episodes/01-liquid.md:7: warning: '{% link _episodes/99-gone.md %}': no such file" \
        in "\n".join(messages(reading))


def test_comments_raw_and_lines_after_them(make_lesson):
    body = ("{% comment %}\nline one\nline two\n{% endcomment %}\n"
            "{% raw %}{{ shown.as.is }}{% endraw %}\n\n"
            "Then {{ page.nothing_here }}.\n")
    reading, e = read(make_lesson, body)
    text = " ".join(p.text for p in blocks_of(e, Paragraph))
    assert "{{ shown.as.is }}" in text and "line one" not in text
    assert "_episodes/01-liquid.md:11: warning: undefined Liquid variable 'page.nothing_here'" \
        in messages(reading)


def test_block_never_closed_is_an_error_at_its_opening_line(make_lesson):
    reading, _ = read(make_lesson, "Intro.\n\n{% if site.remote %}\nShown?\n")
    result = CliRunner().invoke(main, ["check", reading.lesson.root])
    assert result.exit_code == 1
    assert "_episodes/01-liquid.md:7: error: '{% if %}' is never closed" in result.output


def test_missing_include_and_undefined_variable_in_an_include(make_lesson):
    reading, _ = read(make_lesson, "{% include nothing.md %}\n\n{% include broken.md %}\n",
                      **{"_includes/broken.md": "First.\n\nUses {{ site.nope }}.\n"})
    found = messages(reading)
    assert "_episodes/01-liquid.md:5: warning: included file '_includes/nothing.md' not found" \
        in found
    assert "_includes/broken.md:3: warning: undefined Liquid variable 'site.nope'" in found
