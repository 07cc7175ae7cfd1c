"""A person reviewing the alignment: review by claim on the stored corpus (claims.py: the
screens, an answer, undo, progress; what `newsalign review` and the browser call), and the
pair-question session loop of the earlier review (protocol.py, in_memory.py: one story held in
memory), kept for the benchmark and its tests."""
