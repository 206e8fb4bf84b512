"""Provider incidents (``Signalement``) and their target times. Imported by ``equipements.models``."""
