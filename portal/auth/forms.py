from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from portal.forms import DatePartsField, PortalForm, danish_postcode, phone_number, strip

EMAIL_MSG = _l("Enter an e-mail address like name@example.dk.")


def password_rules(min_length=10):
    return [
        DataRequired(_l("Choose a password.")),
        Length(min=min_length, max=200,
               message=_l("Your password must be at least %(min)d characters long.")),
    ]


class RegisterForm(PortalForm):
    name = StringField(_l("Full name"), filters=[strip],
                       validators=[DataRequired(_l("Enter your name.")), Length(max=120)])
    email = EmailField(_l("E-mail address"), filters=[strip],
                       validators=[DataRequired(_l("Enter your e-mail address.")),
                                   Email(EMAIL_MSG), Length(max=254)])
    password = PasswordField(_l("Password"), description=_l("At least 10 characters. A short sentence is easy to remember."),
                             validators=password_rules())
    birth_date = DatePartsField(_l("Date of birth"),
                                description=_l("We ask because some tasks have an age limit. Write day, month and year, for example 24 12 1950."),
                                validators=[DataRequired(_l("Enter your date of birth."))])
    postcode = StringField(_l("Postcode"), filters=[strip],
                           description=_l("So we can show you tasks near you."),
                           validators=[DataRequired(_l("Enter your postcode.")), danish_postcode])
    phone = StringField(_l("Phone (optional)"), filters=[strip],
                        description=_l("Only shown to organisations you sign up with."),
                        validators=[Optional(), phone_number])
    accept_terms = BooleanField(
        _l("I accept the terms of use and have read how my data is handled in the privacy notice."),
        validators=[DataRequired(_l("You must accept the terms and read the privacy notice to create a profile."))])


class LoginForm(PortalForm):
    email = EmailField(_l("E-mail address"), filters=[strip],
                       validators=[DataRequired(_l("Enter your e-mail address.")), Email(EMAIL_MSG)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    next = HiddenField()


class ForgotPasswordForm(PortalForm):
    email = EmailField(_l("E-mail address"), filters=[strip],
                       validators=[DataRequired(_l("Enter your e-mail address.")), Email(EMAIL_MSG)])


class ResetPasswordForm(PortalForm):
    password = PasswordField(_l("New password"), description=_l("At least 10 characters."),
                             validators=password_rules())
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(_l("Repeat the new password.")),
                                        EqualTo("password", _l("The two passwords are not the same."))])


class ResendConfirmationForm(PortalForm):
    pass


class LogoutForm(PortalForm):
    pass
