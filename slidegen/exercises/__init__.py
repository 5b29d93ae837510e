"""exercises.md: every exercise of the lesson in plain Markdown, for a workshop's shared notes
(Etherpad, HedgeDoc, HackMD), with the same promise as the learner handouts: no solution and no
instructor note is ever written into it."""
