from django import forms

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=80, help_text="What the token is for, e.g. “reporting script”."
    )
