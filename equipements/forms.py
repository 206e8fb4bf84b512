from django import forms
from django.utils.translation import gettext_lazy as _

from equipements.models import JourneeRemise, Restitution, Signalement
from logements.forms import ChampDate


class SignatureForm(forms.Form):
    """Signed on the pad (a PNG data URL written by static/js/signature.js) or on the printed receipt."""

    signature = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500_000)
    signe_sur_papier = forms.BooleanField(
        label=_("Signed on paper (the household signs the printed receipt)"), required=False
    )


class RemiseForm(SignatureForm):
    date = ChampDate(label=_("Date"))
    journee = forms.ModelChoiceField(
        label=_("Handout day"), queryset=JourneeRemise.objects.none(), required=False
    )
    lieu = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, journees=None, **kwargs):
        super().__init__(*args, **kwargs)
        if journees is not None:
            self.fields["journee"].queryset = journees


class RestitutionForm(SignatureForm):
    date = ChampDate(label=_("Date"))
    motif = forms.ChoiceField(label=_("Reason"), choices=Restitution.Motif.choices)
    etat = forms.ChoiceField(label=_("State of the items"), choices=Restitution.Etat.choices)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    signalement = forms.ModelChoiceField(
        label=_("Provider incident (swap of a faulty item)"),
        queryset=Signalement.objects.none(),
        required=False,
        help_text=_("Only for the reason “faulty item swapped”."),
    )

    def __init__(self, *args, signalements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if signalements is not None:
            self.fields["signalement"].queryset = signalements
