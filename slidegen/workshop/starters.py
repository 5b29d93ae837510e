"""What `slidegen init` and `slidegen new` write: a first episode and a lesson config in each
format, with FIXME markers where the author fills in, valid as they are (`slidegen check`
passes)."""
from __future__ import annotations

from string import Template

FIRST_EPISODE = "Introduction"

STYLES_EPISODE = Template("""\
---
title: $title
teaching: 10
exercises: 10
questions:
- "FIXME: Which question does this episode answer?"
objectives:
- "FIXME: What will learners be able to do at the end of it?"
keypoints:
- "FIXME: What should learners remember?"
---

## FIXME: First section

FIXME: Teach one idea, then let learners practise it.

> ## Exercise: FIXME
>
> Time: 10 min
>
> FIXME: Ask learners to apply what this section taught.
>
> > ## Solution
> >
> > FIXME: The answer. It goes on a hidden slide and never into the learners' handout.
> {: .solution}
{: .challenge}
$include""")

WORKBENCH_EPISODE = Template("""\
---
title: $title
teaching: 10
exercises: 10
---

:::::::::::::::::::::::::::::::::::::: questions

- FIXME: Which question does this episode answer?

::::::::::::::::::::::::::::::::::::::::::::::::

::::::::::::::::::::::::::::::::::::: objectives

- FIXME: What will learners be able to do at the end of it?

::::::::::::::::::::::::::::::::::::::::::::::::

## FIXME: First section

FIXME: Teach one idea, then let learners practise it.

::::::::::::::::::::::::::::::::::::: challenge

## Exercise: FIXME

Time: 10 min

FIXME: Ask learners to apply what this section taught.

:::::::::::::::::::::::: solution

## Solution

FIXME: The answer. It goes on a hidden slide and never into the learners' handout.

:::::::::::::::::::::::::::::::::
::::::::::::::::::::::::::::::::::::::::::::::::

::::::::::::::::::::::::::::::::::::: keypoints

- FIXME: What should learners remember?

::::::::::::::::::::::::::::::::::::::::::::::::
""")

STYLES_CONFIG = Template("""\
#------------------------------------------------------------
# Values for this lesson.
#------------------------------------------------------------

# Overall title for pages.
title: $title

# Life cycle stage of the lesson ("pre-alpha", "alpha", "beta", "stable").
life_cycle: "pre-alpha"

# What kind of thing is this ("workshop" or "lesson")?
kind: "lesson"
""")

WORKBENCH_CONFIG = Template("""\
#------------------------------------------------------------
# Values for this lesson.
#------------------------------------------------------------

# Overall title for pages.
title: $title

# Life cycle stage of the lesson
# possible values: pre-alpha, alpha, beta, stable
life_cycle: 'pre-alpha'

# Order of episodes in your lesson
episodes:

# Information for Learners
learners:

# Information for Instructors
instructors:

# Learner Profiles
profiles:
""")

LINKS = """\
{% comment %}
Reference-style links shared by every episode, one per line, for example:
[python]: https://www.python.org/
{% endcomment %}
"""
