"""Form pieces shared by features: a three-box date field and Danish field validators."""

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import DateField, DecimalField, Field, PasswordField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import Length, StopValidation, ValidationError

from portal.core import safetext
from portal.core.people import ascii_digits, is_danish_postcode, normalise_phone


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
                    if not 1900 <= self.data.year <= 2200:
                        raise ValueError("a year nobody means")
                except (TypeError, ValueError, OverflowError):
                    self.data = None
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
    if isinstance(field.data, str):
        field.data = ascii_digits(field.data)
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
        # Decimal reads "NaN", "sNaN" and "Infinity" too; none of them is an amount.
        if isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError(_l("Enter a number, for example 1,5."))

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


# --- what every form does to what people type ---------------------------------------------

def one_line(value):
    """A name, title or address is one line: a pasted newline or control character becomes a
    space (portal/core/safetext.py, the same rule the feeds and mail headers apply on the way out)."""
    return safetext.one_line(value) if isinstance(value, str) else value


def clean_text(value):
    """Longer text keeps its line breaks (as \\n) but loses other control characters."""
    return safetext.text_block(value) if isinstance(value, str) else value


def _length_message(validator: Length):
    if validator.min is not None and validator.min > 0 and validator.max not in (None, -1):
        return _l("Write between %(min)d and %(max)d characters. You wrote %(length)d.")
    if validator.max not in (None, -1):
        return _l("Write at most %(max)d characters. You wrote %(length)d.")
    return _l("Write at least %(min)d characters.")


def sensible_year(form, field):
    """Year 1 or 9999 is a typing slip; the clock arithmetic around it would overflow."""
    if isinstance(field.data, date) and not 1900 <= field.data.year <= 2200:
        raise ValidationError(_l("Enter a date between the years 1900 and 2200."))


class PortalForm(FlaskForm):
    """The base of every form. Single-line text fields are made one line and other text loses
    control characters before any validator runs; a length limit says how long the text was
    instead of the browser cutting it silently (the macro renders no maxlength)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            kwargs = unbound_field.kwargs
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                cleaner = clean_text if issubclass(field_class, TextAreaField) else one_line
                options["filters"] = [cleaner, *kwargs.get("filters", ())]
            validators = [Length(min=v.min, max=v.max, message=_length_message(v))
                          if isinstance(v, Length) and v.message is None else v
                          for v in kwargs.get("validators", ())]
            if issubclass(field_class, DateField):
                validators.append(sensible_year)
            options["validators"] = validators
            return unbound_field.bind(form=form, **options)
