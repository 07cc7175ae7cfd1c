"""Place-name glossary: entities, their names and spellings, matching in text."""
