"""The SQL of the Datasette view (`newsalign serve`): its canned queries, each a page a reader
opens from the home page, and what the home page lists. Datasette runs them; publish/serve.py
and publish/datasette_plugin.py name them. A member's probability in CLAIMS is the report's
(claims.SUPPORT_SUM / SUPPORT_OTHERS), rounded to two places."""

from newsalign.corpus.store.claims import SUPPORT_OTHERS, SUPPORT_SUM

CLAIMS = f"""
SELECT k.id AS claim, k.story_id AS story, k.sources AS outlets,
       coalesce(d.published, '') AS date, d.source AS outlet, s.lang, s.text AS sentence,
       CASE WHEN c.english_from = 'translation' THEN c.english END AS english,
       CASE WHEN m.is_repeat THEN 'repeats ' || m.repeat_of ELSE '' END AS repeat,
       s.id AS sentence_id,
       round({SUPPORT_SUM.format(claim="k.id", sentence="s.id")}
             / max(1, {SUPPORT_OTHERS.format(claim="k.id", document="s.doc_id")}), 2)
           AS probability,
       'newsalign review --story ' || k.story_id AS review
FROM clusters k
JOIN cluster_members m ON m.cluster_id = k.id
JOIN segments s ON s.id = m.segment_id JOIN documents d ON d.id = s.doc_id
JOIN claims c ON c.segment_id = s.id
WHERE k.sources >= 2 AND (:story = '' OR k.story_id = :story) AND (:claim = '' OR k.id = :claim)
ORDER BY k.sources DESC, k.id, coalesce(d.published, '9999'), d.source, s.id
"""
TIMELINE = """
SELECT coalesce(d.published, 'no date') AS date, d.source AS outlet, d.lang, d.title, d.url,
       (SELECT count(DISTINCT k.id) FROM cluster_members m JOIN clusters k ON k.id = m.cluster_id
        JOIN segments s ON s.id = m.segment_id WHERE s.doc_id = d.id AND k.sources >= 2)
        AS shared_claims,
       d.id AS document
FROM documents d JOIN story_documents sd ON sd.doc_id = d.id
WHERE sd.story_id = :story
ORDER BY coalesce(d.published, '9999'), d.source, d.id
"""
SEARCH = """
WITH places AS (
    SELECT DISTINCT n.entity_id FROM spellings sp JOIN names n ON n.id = sp.name_id
    WHERE sp.form = newsalign_form(:q)
), hits AS (
    SELECT rowid AS id, 'the words' AS found FROM segments_fts
    WHERE segments_fts MATCH newsalign_fts(:q)
    UNION
    SELECT m.segment_id, m.entity_label || ' as ' || m.name FROM original_mentions m
    WHERE m.entity_id IN (SELECT entity_id FROM places)
)
SELECT s.id AS sentence, coalesce(s.published, '') AS date, s.source AS outlet, s.lang,
       s.text, group_concat(DISTINCT h.found) AS found
FROM hits h JOIN text_segments s ON s.id = h.id
GROUP BY s.id
ORDER BY s.id
LIMIT 1000
"""
NAMING_STANCE = """
SELECT m.entity_label AS place, m.source AS outlet, m.name AS name_used, m.usage,
       count(*) AS mentions, group_concat(DISTINCT m.surface) AS written_as
FROM original_mentions m
GROUP BY m.entity_id, m.source, m.name_id
ORDER BY m.entity_label, m.source, mentions DESC
"""
UNTRANSLATED = """
SELECT s.id AS sentence, s.source AS outlet, s.lang, s.kind, s.text
FROM text_segments s
WHERE s.lang IS NOT NULL AND s.lang != 'en'
  AND NOT EXISTS (SELECT 1 FROM translations t WHERE t.segment_id = s.id AND t.target_lang = 'en')
ORDER BY s.id
"""
REVIEW = """
SELECT round(l.score, 2) AS probability, da.source AS outlet_a, sa.text AS sentence_a,
       db.source AS outlet_b, sb.text AS sentence_b,
       'newsalign claims accept ' || l.a_segment_id || ' ' || l.b_segment_id AS to_accept
FROM alignments l
JOIN segments sa ON sa.id = l.a_segment_id JOIN segments sb ON sb.id = l.b_segment_id
JOIN documents da ON da.id = sa.doc_id JOIN documents db ON db.id = sb.doc_id
WHERE l.accepted = 0
ORDER BY l.score DESC
"""
CORRECTIONS = """
SELECT d.id AS decision, d.action, d.note, d.created_at,
       CASE p.link WHEN 'must' THEN 'same claim' ELSE 'not the same claim' END AS decided,
       coalesce((SELECT doc.source || ': ' || s.text FROM segments s
                 JOIN documents doc ON doc.id = s.doc_id
                 WHERE doc.doc_key = p.a_doc_key AND doc.is_current = 1
                   AND newsalign_hash(s.text) = p.a_hash LIMIT 1), '(no longer in the corpus)')
           AS sentence_a,
       coalesce((SELECT doc.source || ': ' || s.text FROM segments s
                 JOIN documents doc ON doc.id = s.doc_id
                 WHERE doc.doc_key = p.b_doc_key AND doc.is_current = 1
                   AND newsalign_hash(s.text) = p.b_hash LIMIT 1), '(no longer in the corpus)')
           AS sentence_b
FROM decisions d JOIN decision_pairs p ON p.decision_id = d.id
ORDER BY d.id
"""
DOCUMENTS = """
SELECT id AS document, coalesce(published, '') AS date, source AS outlet, lang, title, url,
       outlet_from AS outlet_from, clean_chars AS characters
FROM current_documents
ORDER BY coalesce(published, '9999'), source, id
"""
HOME_STORIES = (
    "SELECT s.id, s.label, s.documents, s.sources, s.languages, s.first_published, "
    "s.last_published, (SELECT count(*) FROM clusters c WHERE c.story_id = s.id "
    "AND c.sources >= 2) AS claims FROM stories s ORDER BY s.documents DESC, s.id"
)
HOME_COUNTS = (
    "SELECT (SELECT count(*) FROM current_documents), "
    "(SELECT count(DISTINCT source) FROM current_documents), "
    "(SELECT count(*) FROM decisions)"
)
