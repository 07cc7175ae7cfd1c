"""newsalign.translate: language detection, Argos packages, the CTranslate2 engine, translators."""
