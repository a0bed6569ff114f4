"""Text folding for search: what a person types without accents or capitals still matches."""

import unicodedata


def fold(text: str) -> str:
    """Lower case, accents removed, runs of spaces made one: ``Belén  Núñez`` -> ``belen nunez``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.split())
