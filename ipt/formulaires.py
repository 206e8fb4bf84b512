"""The login forms, with the username's length checked before anything is looked up.

Django's ``AuthenticationForm`` sets ``max_length`` on its username field after the field is built, so no
length validator runs: a 300-character username reached ``authenticate()``, and django-axes' record of
the failure (a 255-character column) answered 500. Here the length is checked like any field's, with
Django's French message, and ``authenticate()`` is not called.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class _LongueurDuNom:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        longueur = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length or 150
        self.fields["username"].validators.append(MaxLengthValidator(longueur))


class FormulaireConnexion(_LongueurDuNom, AuthenticationForm):
    pass


class FormulaireConnexionAdmin(_LongueurDuNom, AdminAuthenticationForm):
    pass
