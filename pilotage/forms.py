import datetime

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


class LienPartageForm(forms.ModelForm):
    class Meta:
        from pilotage.models import LienPartage

        model = LienPartage
        fields = ["destinataire", "quartier", "expire_le"]
        widgets = {"expire_le": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartier"].queryset = Quartier.objects.order_by("nom")
        self.fields["quartier"].empty_label = _("The whole city")
        self.fields["expire_le"].initial = timezone.localdate() + datetime.timedelta(days=90)

    def clean_expire_le(self):
        jour = self.cleaned_data["expire_le"]
        aujourd_hui = timezone.localdate()
        if jour < aujourd_hui:
            raise forms.ValidationError(_("The link would already have expired: choose a later date."))
        if jour > aujourd_hui + datetime.timedelta(days=366):
            raise forms.ValidationError(_("A link lasts at most a year: choose an earlier date."))
        return jour


class BilanForm(forms.Form):
    annee = forms.TypedChoiceField(label=_("Year"), coerce=int)
    quartier = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Quartier.objects.order_by("nom"),
        required=False,
        empty_label=_("The whole city"),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("pdf", "PDF"), ("xlsx", "XLSX")], initial="pdf", widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        annee = timezone.localdate().year
        self.fields["annee"].choices = [(a, str(a)) for a in range(annee, PREMIERE_ANNEE - 1, -1)]
        self.fields["annee"].initial = annee
