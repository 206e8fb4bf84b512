"""Forms of charges and statements. They check the input only; the rules are in services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from charges.models import Regularisation, Releve
from charges.mois import MoisInvalide, lire_mois
from logements.models import Bailleur


class ChampMois(forms.CharField):
    """A month, picked in the browser's month picker (2026-10) or typed as 10/2026."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-10", "pattern": r"\d{4}-\d{2}"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return lire_mois(value)
        except MoisInvalide as erreur:
            raise ValidationError(str(erreur), code="mois") from None

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if hasattr(value, "strftime") else value


class ExecutionForm(forms.Form):
    mois = ChampMois(label=_("Month to charge"))
    confirmer = forms.BooleanField(required=False, widget=forms.HiddenInput)


class FiltreRelevesForm(forms.Form):
    bailleur = forms.ModelChoiceField(
        label=_("Social landlord"),
        queryset=Bailleur.objects.order_by("nom"),
        required=False,
        empty_label=_("All landlords"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    mois = ChampMois(label=_("Month"), required=False)
    statut = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Releve.Statut.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class RegularisationForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Adjustment"), choices=Regularisation.Type.choices, widget=forms.RadioSelect
    )
    reference = forms.CharField(
        label=_("Landlord's reference of the dwelling"), max_length=30, help_text=_("As on the statement.")
    )
    motif = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("Printed on the landlord's next statement, e.g. “dwelling demolished in March”."),
    )
