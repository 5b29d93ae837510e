"""The instructor's script: per episode its times, then every slide in teaching order with its
speaker notes and the code to type, every exercise with its time, solutions and instructor
notes; typeset by the handout engine (OUT/instructor.pdf and OUT/instructor/STEM.pdf)."""
