"""`python -m newsalign.corpus.cli`: the `newsalign` command without its console script."""

from newsalign.corpus.cli.app import run_main

run_main()
