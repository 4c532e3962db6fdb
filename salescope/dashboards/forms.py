from __future__ import annotations

from django import forms

from .models import DigestSubscription


class DigestForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = DigestSubscription
        fields = ("frequency", "active")
