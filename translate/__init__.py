"""Language detection, translation backends and model management."""
