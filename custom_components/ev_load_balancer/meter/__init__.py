"""Sources of per-phase measurements of the whole building."""
