from comptes.services import reinitialisation_possible


def courriel(request):
    """Whether the login page offers "forgotten password" (only when email can be sent)."""
    return {"reinitialisation_possible": reinitialisation_possible()}
