"""What a reader is told about the corpus, computed when it is read, one home for each fact:
who an article cites, who reported a claim first, a claim's versions and where they differ,
how firmly each member sits in its claim, a story's timeline. The command line, the report and
`serve` all read them here; the rows come from store/."""
