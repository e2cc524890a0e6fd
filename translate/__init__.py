"""Stage 3: fill untranslated catalog entries with machine suggestions (always fuzzy)."""
