from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional

from portal.auth.forms import EMAIL_MSG, password_rules
from portal.forms import DatePartsField, PortalForm, danish_postcode, phone_number, strip


class ProfileForm(PortalForm):
    name = StringField(_l("Full name"), filters=[strip],
                       validators=[DataRequired(_l("Enter your name.")), Length(max=120)])
    email = EmailField(_l("E-mail address"), filters=[strip],
                       description=_l("If you change it, we send a link to the new address. "
                                      "The old one is used until you click the link."),
                       validators=[DataRequired(_l("Enter your e-mail address.")),
                                   Email(EMAIL_MSG), Length(max=254)])
    birth_date = DatePartsField(_l("Date of birth"), description=_l("For example 24 12 1950."),
                                validators=[DataRequired(_l("Enter your date of birth."))])
    postcode = StringField(_l("Postcode"), filters=[strip],
                           validators=[DataRequired(_l("Enter your postcode.")), danish_postcode])
    phone = StringField(_l("Phone (optional)"), filters=[strip],
                        description=_l("Only shown to organisations you sign up with."),
                        validators=[Optional(), phone_number])
    max_hours_per_month = IntegerField(
        _l("Most hours a month (optional)"),
        description=_l("We will not let you sign up for more than this. Leave empty for no limit."),
        validators=[Optional(), NumberRange(min=1, max=300, message=_l("Enter between 1 and 300 hours."))])
    locale = RadioField(_l("Language for e-mails and pages"),
                        choices=[SelectChoice("da", "Dansk"), SelectChoice("en", "English")],
                        validators=[DataRequired(_l("Choose a language."))])


class ChangePasswordForm(PortalForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(_l("Enter your current password."))])
    password = PasswordField(_l("New password"), description=_l("At least 10 characters."),
                             validators=password_rules())
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(_l("Repeat the new password.")),
                                        EqualTo("password", _l("The two passwords are not the same."))])


class DeleteAccountForm(PortalForm):
    password = PasswordField(_l("Your password"),
                             validators=[DataRequired(_l("Enter your password to confirm."))])
    understand = BooleanField(_l("I understand that my profile and personal data will be deleted and cannot be restored."),
                              validators=[DataRequired(_l("Tick the box to confirm."))])
