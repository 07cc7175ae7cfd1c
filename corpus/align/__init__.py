"""Claim alignment as pure computation (no database): which sentences are claim candidates and
what facts they state, sentence embedders, documents grouped into stories and new ones placed
in them, pair evidence and calibrated judgements, claims clustered from scored pairs, what
differs between a claim's versions, and which questions to ask a person. align/job/ runs it on
the database."""
