"""Equipment in households' hands: decoders, handout days, handovers, receipts and returns.

Provider incidents live in ``equipements/modeles_signalements.py`` and are imported here so that Django
finds them (keep the import at the end of this module).
"""

from equipements.modeles_signalements import *  # noqa: E402,F401,F403
