from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logements.models import Bailleur
from quartiers.models import Quartier

PREMIERE_ANNEE = 2009  # the programme's first quartier joined in 2009


class FiltreForm(forms.Form):
    annee = forms.TypedChoiceField(label=_("Year"), coerce=int)
    cumule = forms.BooleanField(label=_("Cumulated since the beginning"), required=False)
    quartier = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Quartier.objects.order_by("nom"),
        required=False,
        empty_label=_("All"),
    )
    bailleur = forms.ModelChoiceField(
        label=_("Social landlord"),
        queryset=Bailleur.objects.order_by("nom"),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        annee = timezone.localdate().year
        self.fields["annee"].choices = [(a, str(a)) for a in range(annee, PREMIERE_ANNEE - 1, -1)]
        self.fields["annee"].initial = annee
