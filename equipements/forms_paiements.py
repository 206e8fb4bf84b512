"""Forms of the PC sales' money: a payment at the desk, a reversal, a waiver, a cancellation or return, and
the choice of a centre and a day (cash book, follow-up). Forms validate input only; the services decide."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equipements.modeles_paiements import Paiement
from equipements.paiements import montant_lu
from logements.forms import ChampDate
from quartiers.models import CentreSocial


class ChampMontant(forms.CharField):
    """An amount in euros as typed at the desk (``13,33`` or ``13.33``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        return montant_lu(value)


class PaiementForm(forms.Form):
    montant = ChampMontant(label=_("Amount (EUR)"))
    mode = forms.ChoiceField(label=_("Method"), choices=Paiement.Mode.choices, widget=forms.RadioSelect)
    tiers = forms.CharField(
        label=_("Third party that pays"),
        max_length=120,
        required=False,
        help_text=_("Only for a third party: the social fund, the centre social's own help…"),
    )
    date = ChampDate(label=_("Date"))

    def clean(self):
        donnees = super().clean()
        if donnees.get("mode") == Paiement.Mode.TIERS and not (donnees.get("tiers") or "").strip():
            self.add_error(
                "tiers", _("Name the third party that pays (the social fund, the centre social's help…).")
            )
        return donnees


class MotifForm(forms.Form):
    motif = forms.CharField(label=_("Reason"), max_length=255)


class AnnulationForm(forms.Form):
    CAS = [
        ("annulation", _("The sale is cancelled")),
        ("retour", _("The PC is brought back under warranty")),
    ]
    REMBOURSEMENT = [
        ("", _("By the method of each payment")),
        (Paiement.Mode.ESPECES, _("cash")),
        (Paiement.Mode.CHEQUE, _("cheque")),
        (Paiement.Mode.CARTE, _("card")),
    ]
    cas = forms.ChoiceField(label=_("What happens"), choices=CAS, widget=forms.RadioSelect)
    motif = forms.CharField(label=_("Reason"), max_length=255)
    mode = forms.ChoiceField(
        label=_("The household is refunded"),
        choices=REMBOURSEMENT,
        required=False,
        help_text=_("A third party's share goes back to it."),
    )
    date = ChampDate(label=_("Date"))


class CentreJourForm(forms.Form):
    """The cash book's centre and day (today by default)."""

    centre = forms.ModelChoiceField(
        label=_("Social centre"),
        queryset=CentreSocial.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    jour = forms.DateField(
        label=_("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres

    def clean_jour(self):
        return self.cleaned_data.get("jour") or timezone.localdate()


class PeriodeForm(forms.Form):
    """The treasurer's export: a centre, from a day to a day (at most a year)."""

    centre = forms.ModelChoiceField(label=_("Social centre"), queryset=CentreSocial.objects.none())
    du = forms.DateField(label=_("From"), required=False)
    au = forms.DateField(label=_("To"), required=False)

    def __init__(self, *args, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres

    def clean(self):
        donnees = super().clean()
        du = donnees.get("du") or timezone.localdate()
        au = donnees.get("au") or du
        if au < du:
            raise ValidationError(_("The end of the period is before its start."))
        if au - du > datetime.timedelta(days=366):
            raise ValidationError(_("The period is at most one year."))
        donnees["du"], donnees["au"] = du, au
        return donnees


class CentreForm(forms.Form):
    """The follow-up's centre (every centre covered if none is chosen)."""

    centre = forms.ModelChoiceField(
        label=_("Social centre"),
        queryset=CentreSocial.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres


class BilanForm(CentreForm):
    annee = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
