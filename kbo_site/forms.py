"""Form pieces shared by the apps."""

from django import forms


class VersionedForm(forms.Form):
    # The version the form was opened at: a save from a stale copy is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def set_version(self, version):
        """After a refused stale save, the next submit is made against what is saved now."""
        self.data = self.data.copy()
        self.data["version"] = version
