"""`newsalign align` on the database: what a run is set up with, what it reads, what it plans
(every story, or only those that changed) and how it writes, and a person's corrections applied
at once. The computing itself is the pure core one folder up (corpus/align/)."""
