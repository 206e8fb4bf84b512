"""Forms of the accounts page: the filter of the list and the account form (identity, role, scope).

The scope fields come from :data:`comptes.roles.ROLES_DES_COMPTES`: one per scoped role, only the
chosen role's is required and kept.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from comptes.roles import ROLES_DES_COMPTES, perimetre_du_compte, role_du_compte
from comptes.services import Identite
from ipt.roles import Role

User = get_user_model()

SANS_ROLE = "aucun"


class FiltreComptesForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False, strip=True)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles"))]
        + [(r.value, r.label) for r in ROLES_DES_COMPTES]
        + [(SANS_ROLE, _("No role"))],
    )
    actif = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("oui", _("Active")), ("non", _("Deactivated"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"class": "form-control", "type": "search", "autofocus": True})
        for nom in ("role", "actif"):
            self.fields[nom].widget.attrs["class"] = "form-select"


class ChoixImmeuble(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.quartier.nom} — {obj}"


def _champ_perimetre(regle) -> forms.Field:
    if regle.multiple:
        classe = ChoixImmeuble if regle.modele == "logements.Immeuble" else forms.ModelMultipleChoiceField
        widget = (
            forms.SelectMultiple(attrs={"class": "form-select", "size": 12})
            if regle.modele == "logements.Immeuble"
            else forms.CheckboxSelectMultiple
        )
        return classe(
            queryset=regle.choix(), required=False, label=regle.libelle, help_text=regle.aide, widget=widget
        )
    return forms.ModelChoiceField(
        queryset=regle.choix(),
        required=False,
        label=regle.libelle,
        help_text=regle.aide,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class CompteForm(forms.ModelForm):
    """An account: login, names, optional email, one role and the scope that role needs."""

    role = forms.ChoiceField(
        label=_("Role"), choices=[(r.value, r.label) for r in ROLES_DES_COMPTES], widget=forms.RadioSelect
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, acteur, **kwargs):
        super().__init__(*args, **kwargs)
        self.acteur = acteur
        for champ in ("username", "first_name", "last_name", "email"):
            self.fields[champ].widget.attrs["class"] = "form-control"
        self.fields["username"].widget.attrs["autocomplete"] = "off"
        self.fields["username"].label = _("Username")
        self.fields["email"].help_text = _(
            "Optional. The link to set the password is sent to it when email is configured."
        )
        role = role_du_compte(self.instance) if self.instance.pk else None
        if role is not None:
            self.initial.setdefault("role", role.value)
        for role_, regle in ROLES_DES_COMPTES.items():
            if regle is None:
                continue
            self.fields[regle.champ] = _champ_perimetre(regle)
            if role_ == role:
                objets = perimetre_du_compte(self.instance, role)
                self.initial.setdefault(
                    regle.champ, objets if regle.multiple else (objets[0] if objets else None)
                )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("This username is already taken (upper or lower case does not matter).")
            )
        return username

    def validate_unique(self):
        """Case-insensitive uniqueness is checked in clean_username, with a French message."""

    def clean(self):
        donnees = super().clean()
        valeur = donnees.get("role")
        if not valeur:
            return donnees
        role = Role(valeur)
        regle = ROLES_DES_COMPTES[role]
        if regle is not None and not donnees.get(regle.champ):
            self.add_error(regle.champ, regle.requis)
        if self.instance.pk and self.instance.pk == self.acteur.pk and role != Role.VILLE:
            self.add_error("role", _("You cannot remove your own city staff role."))
        return donnees

    # What the service needs.
    @property
    def identite(self) -> Identite:
        d = self.cleaned_data
        return Identite(
            username=d["username"], first_name=d["first_name"], last_name=d["last_name"], email=d["email"]
        )

    @property
    def role_choisi(self) -> Role:
        return Role(self.cleaned_data["role"])

    @property
    def perimetre(self) -> list:
        regle = ROLES_DES_COMPTES[self.role_choisi]
        if regle is None:
            return []
        valeur = self.cleaned_data.get(regle.champ)
        if regle.multiple:
            return list(valeur or [])
        return [valeur] if valeur else []

    def champs_perimetre(self):
        """(role, bound field) for the template: each scope field shown under its role."""
        return [
            (role.value, self[regle.champ]) for role, regle in ROLES_DES_COMPTES.items() if regle is not None
        ]
