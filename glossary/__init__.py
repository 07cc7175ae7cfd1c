"""newsalign.glossary: entities, their names and spellings, matching in text. Imports nothing of ours."""
