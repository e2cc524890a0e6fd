"""Stage 5: reviewed catalogs + Articles → localized pages and feeds."""
