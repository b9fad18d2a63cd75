"""Form pieces shared by features: a three-box date field and Danish field validators."""

from datetime import date

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import DecimalField, Field, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import StopValidation, ValidationError

from portal.core.people import is_danish_postcode, normalise_phone


class DatePartsField(Field):
    """Day, month and year in three boxes: easier than a date picker for many older
    users and for screen readers. What was typed is kept for the re-rendered form."""

    widget = None  # rendered by the form macro

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.parts = {"day": "", "month": "", "year": ""}

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        if data is None:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.data = data
        if isinstance(data, date):
            self.parts = {"day": str(data.day), "month": str(data.month), "year": str(data.year)}
        if formdata is not None and any(f"{self.name}-{p}" in formdata for p in self.parts):
            self.raw_data = [formdata.get(f"{self.name}-{p}", "") for p in self.parts]
            self.parts = dict(zip(self.parts, (v.strip() for v in self.raw_data)))
            self.data = None
            if any(self.parts.values()):
                try:
                    self.data = date(int(self.parts["year"]), int(self.parts["month"]),
                                     int(self.parts["day"]))
                except (TypeError, ValueError):
                    self.process_errors.append(_l("Enter a real date, for example 24 12 1950."))

    def pre_validate(self, form):
        # A date that does not exist is the one thing to say; "required" would hide it.
        if self.process_errors:
            raise StopValidation()

    def _value(self):
        return self.data.isoformat() if self.data else ""

    def __call__(self, **kwargs):
        return Markup("")


def danish_postcode(form, field):
    if field.data and not is_danish_postcode(field.data):
        raise ValidationError(_l("Enter a Danish postcode with four digits, for example 2791."))


def phone_number(form, field):
    if field.data:
        normalised = normalise_phone(field.data)
        if normalised is None:
            raise ValidationError(_l("Enter a phone number with 8 digits, for example 32 89 01 00."))
        field.data = normalised


def strip(value):
    return value.strip() if isinstance(value, str) else value


def add_domain_error(form, error) -> None:
    """Shows a service's DomainError next to its field, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(error.message)]
    else:
        form.form_errors.append(str(error.message))


class LocalDecimalField(DecimalField):
    """Accepts the Danish decimal comma ("1,5") as well as a point."""

    def process_formdata(self, valuelist):
        super().process_formdata([v.replace(",", ".").strip() for v in valuelist])

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]  # what was typed, exactly, when the form comes back with an error
        if self.data is None:
            return ""
        from flask_babel import format_decimal
        return format_decimal(self.data, format="#,##0.##")


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (rendered by the form macro as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
