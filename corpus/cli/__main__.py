"""`python -m newsalign.corpus.cli`: the `newsalign` command without its console script."""

from newsalign.corpus.cli.app import run_main

# Guarded: Dask's worker processes are spawned and import the parent's __main__ again.
if __name__ == "__main__":
    run_main()
