from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _


class StartNetworkForm(forms.Form):
    name = forms.CharField(
        label=_("Organisation name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    slug = forms.CharField(
        label=_("Address"),
        max_length=40,
        help_text=_(
            "Lower-case letters, digits and hyphens; e.g. “lyon-founders” puts your network at "
            "lyon-founders.{base}."
        ),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    admin_name = forms.CharField(label=_("Your name"), max_length=150)
    admin_email = forms.EmailField(
        label=_("Your email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    admin_password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    admin_password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept = forms.BooleanField(
        label=_(
            "I will run this network under the one rule: members collaborate with the other "
            "entrepreneurs of their chapter."
        ),
    )

    def __init__(self, *args, base_domain: str = "localhost", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].help_text = str(self.fields["slug"].help_text).replace(
            "{base}", base_domain
        )

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"].strip().lower()

    def clean(self):
        data = super().clean()
        if (
            data.get("admin_password")
            and data.get("admin_password_confirm")
            and (data["admin_password"] != data["admin_password_confirm"])
        ):
            self.add_error("admin_password_confirm", _("The two passwords differ."))
        return data
