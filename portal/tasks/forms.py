from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, EmailField, IntegerField, RadioField, SelectField,
                     StringField, TextAreaField, TimeField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (DataRequired, Email, InputRequired, Length, NumberRange, Optional,
                                ValidationError)

from portal import pictures
from portal.auth.forms import EMAIL_MSG
from portal.core.people import parse_point
from portal.models import Skill, TaskStatus
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)
from portal.forms import MultiCheckboxField, PortalForm, danish_postcode, phone_number, strip

KIND_LABELS = {
    "one_off": _l("One-off: one or more single times"),
    "recurring": _l("Recurring: the same time every week or every other week"),
    "ongoing": _l("Ongoing role: a steady role where you log your hours"),
}
DEMAND_LABELS = {
    "light": _l("Light: sitting or walking slowly"),
    "moderate": _l("Moderate: on your feet, some lifting"),
    "heavy": _l("Demanding: heavy lifting or long walks"),
}
STATUS_LABELS = {TaskStatus.published: _l("Published"), TaskStatus.draft: _l("Draft"),
                 TaskStatus.paused: _l("Paused"), TaskStatus.closed: _l("Closed")}
WEEKDAYS = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday")]


def map_point(form, field):
    if field.data and parse_point(field.data) is None:
        raise ValidationError(_l("Write the point as latitude, longitude in Denmark, for example 55.5925, 12.6722."))


def skill_choices():
    # Imported when a form is made: the companies package imports the sign-up and task modules.
    from portal.companies.team_services import SKILL_LABELS
    return [SelectChoice("", _l("No particular skill"))] + [SelectChoice(skill.value, label)
                                                            for skill, label in SKILL_LABELS.items()]


def known_skill(form, field):
    if field.data and field.data not in {skill.value for skill in Skill}:
        raise ValidationError(_l("Choose a skill from the list."))


def optional_id(value):
    """A select's value as an id, or None for none (and for anything that is not an id)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2 ** 31 else None


def skill_value(value) -> str:
    """A stored Skill (editing) or a sent value (posting), as the select's value."""
    return value.value if isinstance(value, Skill) else (value or "")


class TaskForm(PortalForm):
    title = StringField(_l("Title"), filters=[strip], description=_l("Short and concrete, for example “Cycle with residents”."),
                        validators=[DataRequired(_l("Give the task a title.")), Length(max=140)])
    description = TextAreaField(_l("Description"), filters=[strip],
                                description=_l("What will the volunteer do, with whom, and why does it matter?"),
                                validators=[DataRequired(_l("Describe the task.")), Length(min=20, max=5000,
                                            message=_l("Write between %(min)d and %(max)d characters."))])
    category = SelectField(_l("Category"), coerce=int, validators=[DataRequired(_l("Choose a category."))])
    kind = RadioField(_l("Kind of task"), default="one_off",
                      choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()],
                      validators=[DataRequired(_l("Choose the kind of task."))])
    place_name = StringField(_l("Place (optional)"), filters=[strip], description=_l("For example “Enggården, the garden”."),
                             validators=[Optional(), Length(max=120)])
    address = StringField(_l("Street address"), filters=[strip],
                          validators=[DataRequired(_l("Enter the street address.")), Length(max=200)])
    postcode = StringField(_l("Postcode"), filters=[strip], validators=[DataRequired(_l("Enter the postcode.")), danish_postcode])
    city = StringField(_l("Town"), filters=[strip], validators=[DataRequired(_l("Enter the town.")), Length(max=80)])
    point = StringField(_l("Point on the map (optional)"), filters=[strip],
                        description=_l("Latitude and longitude, for example 55.5925, 12.6722. "
                                       "Leave empty and we place the task by its town or postcode."),
                        validators=[Optional(), map_point])
    min_age = IntegerField(_l("Minimum age (optional)"), description=_l("Leave empty if everyone can help."),
                           validators=[Optional(), NumberRange(min=0, max=100, message=_l("Enter an age between 0 and 100."))])
    needs_child_certificate = BooleanField(_l("Needs a child protection certificate (børneattest)"))
    physical_demand = RadioField(_l("Physical demands"), default="light",
                                 choices=[SelectChoice(k, v) for k, v in DEMAND_LABELS.items()],
                                 validators=[DataRequired(_l("Choose the physical demands."))])
    what_to_bring = TextAreaField(_l("What to bring (optional)"), filters=[strip], validators=[Optional(), Length(max=1000)])
    contact_name = StringField(_l("Contact person"), filters=[strip],
                               validators=[DataRequired(_l("Enter the contact person's name.")), Length(max=120)])
    contact_email = EmailField(_l("Contact person's e-mail"), filters=[strip],
                               validators=[DataRequired(_l("Enter the contact person's e-mail address.")), Email(EMAIL_MSG)])
    contact_phone = StringField(_l("Contact person's phone (optional)"), filters=[strip], validators=[Optional(), phone_number])
    cancel_deadline_hours = IntegerField(_l("Volunteers can cancel until this many hours before the start"), default=24,
                                         validators=[InputRequired(_l("Enter a number of hours.")),
                                                     NumberRange(min=0, max=336, message=_l("Enter between 0 and 336 hours."))])
    # Companies (issue 10): a task a team of colleagues can do together, or one that wants a skill.
    team_size = IntegerField(_l("Suitable for a company team (optional)"),
                             description=_l("How many colleagues from one company can come together at most, "
                                            "from 2 to 100. Leave empty if the task does not suit a team."),
                             validators=[Optional(), NumberRange(min=2, max=100,
                                                                 message=_l("Enter a team size between 2 and 100."))])
    # validate_choice off: a task saved without a skill gives None (WTForms leaves it
    # uncoerced), which is no choice; known_skill below refuses what is not on the list.
    wanted_skill = SelectField(_l("Looking for a skill (optional)"), coerce=skill_value, default="",
                               validate_choice=False, validators=[known_skill],
                               description=_l("Companies that offer the skill see the task in their list."),
                               choices=skill_choices)
    # Issue 12: the volunteer day, the welfare meeting; "prøv en opgave"; a picture.
    event = SelectField(_l("Part of an event (optional)"), coerce=optional_id, validate_choice=False, default="",
                        description=_l("For example Frivillig Fredag: the task is then shown on the event's page."))
    is_taster = BooleanField(_l("“Try a task”: a taster task for first-time volunteers"),
                             description=_l("Tick it if the task is short, needs no experience and suits someone "
                                            "who has never volunteered before."))
    # Issue 13: "småjob" for people outside the labour market; the portal never asks who they are.
    is_small_job = BooleanField(_l("Small job (småjob)"),
                                description=_l("A small, unpaid job suitable for people outside the labour market, "
                                               "e.g. on early retirement or unemployment benefit."))
    picture = FileField(_l("Picture (optional)"), render_kw=pictures.ACCEPT,
                        description=_l("A PNG, JPEG or WebP file under 5 MB. We make it smaller and remove any "
                                       "hidden information in the file, such as where it was taken."))
    picture_alt = StringField(_l("Describe the picture"), filters=[strip],
                              description=_l("Needed with a picture: a short sentence for people who cannot see "
                                             "it, for example “Two volunteers plant trees by the beach”."),
                              validators=[Optional(), Length(max=200)])
    remove_picture = BooleanField(_l("Remove the picture"))
    publish = BooleanField(_l("Publish now (otherwise it is saved as a draft)"), default=True)

    def set_events(self, choices) -> None:
        """(id, title, starts_at) rows from portal.events.queries.event_choices."""
        from flask_babel import format_date

        from portal.core.timeutil import to_local

        self._event_ids = {row[0] for row in choices}
        self.event.choices = [SelectChoice("", _l("Not part of an event"))] + [
            SelectChoice(str(event_id), f"{title} ({format_date(to_local(starts_at).date(), 'long')})")
            for event_id, title, starts_at in choices]

    def validate_event(self, field):
        typed = (field.raw_data or [""])[0]
        if (field.data is None and typed) or (field.data is not None
                                              and field.data not in getattr(self, "_event_ids", set())):
            raise ValidationError(_l("Choose one of the coming events from the list."))


class SlotForm(PortalForm):
    day = DateField(_l("Date"), validators=[DataRequired(_l("Enter a date, for example 26-11-2026."))])
    starts = TimeField(_l("From"), validators=[DataRequired(_l("Enter a start time, for example 13:00."))])
    ends = TimeField(_l("To"), validators=[DataRequired(_l("Enter an end time, for example 14:00."))])
    capacity = IntegerField(_l("Number of places"), default=1,
                            validators=[InputRequired(_l("Enter the number of places.")),
                                        NumberRange(min=1, max=500, message=_l("Enter between 1 and 500 places."))])
    place_note = StringField(_l("Different meeting place for this time (optional)"), filters=[strip],
                             validators=[Optional(), Length(max=200)])

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("The end must be after the start."))



class RuleForm(PortalForm):
    weekdays = MultiCheckboxField(_l("Weekdays"), coerce=int,
                                  choices=[SelectChoice(str(i), name) for i, name in enumerate(WEEKDAYS)],
                                  validators=[DataRequired(_l("Choose at least one weekday."))])
    every_weeks = RadioField(_l("How often"), coerce=int, default=1,
                             choices=[SelectChoice("1", _l("Every week")), SelectChoice("2", _l("Every other week"))],
                             validators=[DataRequired(_l("Choose how often."))])
    starts = TimeField(_l("From"), validators=[DataRequired(_l("Enter a start time, for example 13:00."))])
    ends = TimeField(_l("To"), validators=[DataRequired(_l("Enter an end time, for example 14:00."))])
    first_date = DateField(_l("First date"), validators=[DataRequired(_l("Enter the first date."))])
    last_date = DateField(_l("Last date (optional)"), validators=[Optional()])
    capacity = IntegerField(_l("Places each time"), default=1,
                            validators=[InputRequired(_l("Enter the number of places.")),
                                        NumberRange(min=1, max=500, message=_l("Enter between 1 and 500 places."))])
    exceptions = StringField(_l("Dates without the activity (optional)"), filters=[strip],
                             description=_l("Separate with commas, for example 24-12-2026, 31-12-2026."))

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("The end must be after the start."))

    def validate_last_date(self, field):
        if field.data and self.first_date.data and field.data < self.first_date.data:
            raise ValidationError(_l("The last date must be on or after the first date."))

    def validate_exceptions(self, field):
        from portal.core.dates import parse_dates
        try:
            field.parsed = parse_dates(field.data or "")
        except ValueError:
            raise ValidationError(_l("Write the dates as day-month-year, for example 24-12-2026."))




class StatusForm(PortalForm):
    status = RadioField(choices=[SelectChoice(s, s) for s in ("draft", "published", "paused", "closed")],
                        validators=[DataRequired()])
