"""A person reviewing the alignment: a session loop (protocol.py) driven by the terminal, a
browser page or a benchmark, over a source of questions (questions.py: pair questions of the
stored stories; in_memory.py: one story held in memory) and an answer applier (answers.py:
decisions recorded and the story re-aligned)."""
