"""The English pipeline and the resolution of names to actors (countries, IGOs, people)."""
