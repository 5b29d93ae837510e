"""The workshop around the lesson: its timetable (schedule), how an episode's time reads
(timing), knitting R Markdown episodes (knit), and new lessons and episodes (scaffold, starters)."""
