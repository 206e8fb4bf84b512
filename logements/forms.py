"""Forms of the reception desk. They check the input only; the rules of the programme are in services."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logements.models import Adhesion, Foyer, Personne


def _aujourd_hui():
    return timezone.localdate()


class ChampDate(forms.DateField):
    """A date from the browser's calendar (or typed 31/12/2026), today by default, never in the future."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs):
        kwargs.setdefault("initial", _aujourd_hui)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."), code="futur")


def valider_telephone(valeur: str) -> None:
    if valeur and (
        not re.fullmatch(r"[+\d\s.\-/()]+", valeur) or not 6 <= sum(c.isdigit() for c in valeur) <= 15
    ):
        raise ValidationError(
            _("Enter a phone number with digits only, spaces or dots allowed, e.g. 06 12 34 56 78."),
            code="telephone",
        )


class AdhesionForm(forms.Form):
    type = forms.ChoiceField(choices=Adhesion.Type.choices, widget=forms.HiddenInput)
    date = ChampDate(label=_("Date"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class DemenagementForm(forms.Form):
    demenage_le = ChampDate(label=_("Moved out on"))


class FoyerForm(forms.ModelForm):
    class Meta:
        model = Foyer
        fields = ["nom", "telephone", "email"]

    def clean_telephone(self):
        valider_telephone(self.cleaned_data["telephone"])
        return self.cleaned_data["telephone"].strip()


class EmmenagementForm(FoyerForm):
    emmenage_le = ChampDate(label=_("Moved in on"))

    class Meta(FoyerForm.Meta):
        fields = ["nom", "telephone", "email", "emmenage_le"]


class PersonneForm(forms.ModelForm):
    class Meta:
        model = Personne
        fields = ["prenom", "nom", "annee_naissance", "telephone", "email"]

    def clean_annee_naissance(self):
        annee = self.cleaned_data["annee_naissance"]
        if annee is not None and not 1900 <= annee <= timezone.localdate().year:
            raise ValidationError(
                _("Enter a year of birth between 1900 and %(annee)s.") % {"annee": timezone.localdate().year},
                code="annee",
            )
        return annee

    def clean_telephone(self):
        valider_telephone(self.cleaned_data["telephone"])
        return self.cleaned_data["telephone"].strip()


class OccupantForm(forms.Form):
    """One occupant entered with a move-in; a row left empty is ignored."""

    prenom = forms.CharField(label=_("First name"), max_length=80, required=False)
    nom = forms.CharField(label=_("Last name"), max_length=80, required=False)

    def clean(self):
        donnees = super().clean()
        if bool(donnees.get("prenom")) != bool(donnees.get("nom")):
            raise ValidationError(
                _("Give both the first and the last name of this occupant."), code="incomplet"
            )
        return donnees


OccupantFormSet = forms.formset_factory(OccupantForm, extra=3, max_num=10)


def occupants_saisis(formset) -> list[dict]:
    return [f.cleaned_data for f in formset if f.cleaned_data.get("nom")]


OUI_NON = [("", _("Not answered")), ("oui", _("Yes")), ("non", _("No"))]


def _oui_non(label):
    return forms.TypedChoiceField(
        label=label, choices=OUI_NON, required=False, coerce=lambda v: v == "oui", empty_value=None
    )


class ProfilForm(forms.Form):
    """The optional profile of the yearly report. Held only with the household's consent, given now."""

    consentement = forms.BooleanField(
        label=_(
            "The household agrees that these answers are kept for the programme’s yearly statistics, "
            "and knows it may withdraw at any time."
        ),
        error_messages={"required": _("Without the household’s consent, nothing can be recorded.")},
    )
    minima_sociaux = _oui_non(_("Receives income support"))
    personne_isolee = _oui_non(_("Person living alone"))
    famille_monoparentale = _oui_non(_("Single-parent family"))

    PROFIL = ("minima_sociaux", "personne_isolee", "famille_monoparentale")

    @classmethod
    def initial_de(cls, foyer: Foyer) -> dict:
        """The recorded answers, to correct them (city staff only)."""
        return {champ: {True: "oui", False: "non"}.get(getattr(foyer, champ), "") for champ in cls.PROFIL}
