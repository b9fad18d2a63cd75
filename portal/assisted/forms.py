from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from portal.auth.forms import EMAIL_MSG, password_rules
from portal.forms import DatePartsField, PortalForm, phone_number, strip

CONSENT_METHODS = [("phone", _l("By phone")), ("paper", _l("On paper")), ("in_person", _l("In person"))]
LANGUAGES = [("da", "Dansk"), ("en", "English")]


class DetailsForm(PortalForm):
    name = StringField(_l("Full name"), filters=[strip],
                       validators=[DataRequired(_l("Enter the citizen's name.")), Length(max=120)])
    phone = StringField(_l("Phone"), filters=[strip],
                        description=_l("We phone the citizen with reminders and changes."),
                        validators=[DataRequired(_l("Enter a phone number. It is how we reach the citizen.")),
                                    phone_number])
    postal_address = StringField(_l("Postal address"), filters=[strip],
                                 description=_l("Street, number, postcode and town, for example Strandstræde 12, 2791 Dragør."),
                                 validators=[DataRequired(_l("Enter the postal address.")), Length(max=200)])
    birth_date = DatePartsField(_l("Date of birth (optional)"),
                                description=_l("Only needed for tasks with an age limit. Day, month and year, for example 2 3 1941."),
                                default=None, validators=[Optional()])
    locale = SelectField(_l("Language to speak and write in"), choices=LANGUAGES, default="da")
    note = TextAreaField(_l("Note for whoever phones (optional)"),
                         description=_l("For example: ring after 10, hard of hearing. Only what helps the call; "
                                        "no health details."),
                         validators=[Optional(), Length(max=500)])


class CreateForm(DetailsForm):
    consent_method = RadioField(_l("How was consent given?"), choices=CONSENT_METHODS,
                                validators=[DataRequired(_l("Choose how the citizen gave their consent."))])
    consent_given_on = DatePartsField(_l("Day consent was given"),
                                      description=_l("Day, month and year, for example 24 11 2026."),
                                      validators=[DataRequired(_l("Enter the day the citizen gave their consent."))])
    explained = BooleanField(
        _l("I have explained what we store and why (name, phone, address and the times they sign up for, "
           "so we can phone them), and the citizen agreed."),
        validators=[DataRequired(_l("Explain what we store and why, and tick the box when the citizen has agreed."))])
    confirm_duplicate = BooleanField(_l("Yes, this is another person: create the profile anyway."))


class SearchForm(PortalForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search by name"), filters=[strip], validators=[Optional(), Length(max=120)])


class TaskSearchForm(SearchForm):
    q = StringField(_l("Search by task title"), filters=[strip], validators=[Optional(), Length(max=120)])


class SignupForm(PortalForm):
    slot = SelectField(_l("Time"), choices=[], validate_choice=False,
                       validators=[DataRequired(_l("Choose a time from the list."))])
    charter = BooleanField(_l("I have read the volunteer charter to the citizen, and they accept it."),
                           description=_l("Only needed where the organisation asks volunteers to accept the charter."))


class CalledForm(PortalForm):
    outcome = StringField(_l("What came of the call (optional)"), filters=[strip],
                          description=_l("For example: will come, no answer, call again tomorrow."),
                          validators=[Optional(), Length(max=300)])


class TakeoverStartForm(PortalForm):
    email = EmailField(_l("The citizen's own e-mail address"), filters=[strip],
                       description=_l("We send a link there. The citizen chooses a password and the profile is theirs."),
                       validators=[DataRequired(_l("Enter the citizen's own e-mail address.")), Email(EMAIL_MSG),
                                   Length(max=254)])


class TakeoverForm(PortalForm):
    password = PasswordField(_l("Choose a password"),
                             description=_l("At least 10 characters. A short sentence is easy to remember."),
                             validators=password_rules())
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(_l("Repeat the password.")),
                                        EqualTo("password", _l("The two passwords are not the same."))])
    accept_terms = BooleanField(
        _l("I accept the terms of use and have read how my data is handled in the privacy notice."),
        validators=[DataRequired(_l("You must accept the terms and read the privacy notice to take over the profile."))])


class DeleteForm(PortalForm):
    sure = BooleanField(_l("The citizen has asked us to delete the profile and all their data."),
                        validators=[DataRequired(_l("Tick the box to confirm that the citizen asked for this."))])
