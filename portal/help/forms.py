from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from portal.forms import PortalForm, danish_postcode, phone_number, strip
from portal.help.labels import KIND_CHOICES, KIND_LABELS, STATUS_LABELS  # noqa: F401
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)


class OfferForm(PortalForm):
    kind = SelectField(_l("Kind of help"), choices=[SelectChoice("", _l("Choose…"))]
                       + [SelectChoice(k.value, v) for k, v in KIND_LABELS.items()],
                       validators=[DataRequired(_l("Choose the kind of help."))])
    title = StringField(_l("Name of the offer"), filters=[strip],
                        description=_l("Short and plain, for example “Besøgsvenner” or “IT-hjælp hver tirsdag”."),
                        validators=[DataRequired(_l("Write the name of the offer.")), Length(max=140)])
    description = TextAreaField(_l("What the help is"), filters=[strip],
                                validators=[DataRequired(_l("Write what the help is.")), Length(min=10, max=2000)])
    who_for = TextAreaField(_l("Who it is for"), filters=[strip],
                            description=_l("For example “Anyone over 65 in Dragør who lives alone”."),
                            validators=[DataRequired(_l("Write who the help is for.")), Length(max=1000)])
    how_to_get = TextAreaField(_l("How to get it"), filters=[strip],
                               description=_l("For example “Call us, or just come by on Tuesdays 10–12 at the "
                                              "library”."),
                               validators=[DataRequired(_l("Write how to get the help.")), Length(max=1000)])
    contact_phone = StringField(_l("Phone (optional)"), filters=[strip],
                                validators=[Optional(), Length(max=20), phone_number])
    contact_email = EmailField(_l("E-mail (optional)"), filters=[strip],
                               validators=[Optional(), Length(max=254),
                                           Email(_l("Enter an e-mail address like name@example.dk."))])
    waiting_time = StringField(_l("Waiting time (optional)"), filters=[strip],
                               description=_l("For example “about 3 weeks”. Leave it empty if there is no waiting "
                                              "time."),
                               validators=[Length(max=120)])


class AskForm(PortalForm):
    kind = RadioField(_l("What would you like help with?"),
                      choices=[SelectChoice(k.value, v) for k, v in KIND_CHOICES.items()],
                      validators=[DataRequired(_l("Choose what you would like help with."))])
    description = TextAreaField(_l("Tell us a little more (optional)"), filters=[strip],
                                description=_l("For example “I would like someone to talk to once a week”."),
                                validators=[Length(max=1000)])
    name = StringField(_l("Name of the person who needs help"), filters=[strip],
                       validators=[DataRequired(_l("Write the name of the person who needs help.")),
                                   Length(max=120)])
    area = StringField(_l("Where do you live, roughly?"), filters=[strip],
                       description=_l("The street or the area is enough, for example “Kongevejen” or “near "
                                      "Dragør Havn”."),
                       validators=[DataRequired(_l("Write roughly where you live.")), Length(max=120)])
    postcode = StringField(_l("Postcode (optional)"), filters=[strip], validators=[Length(max=4), danish_postcode])
    phone = StringField(_l("Phone number"), filters=[strip],
                        description=_l("A phone number is enough. We call you; you do not need e-mail."),
                        validators=[Optional(), Length(max=20), phone_number])
    email = EmailField(_l("E-mail (optional)"), filters=[strip],
                       description=_l("If you give an e-mail address, we also write to you there."),
                       validators=[Optional(), Length(max=254),
                                   Email(_l("Enter an e-mail address like name@example.dk."))])
    best_time_to_call = StringField(_l("When is it best to call? (optional)"), filters=[strip],
                                    description=_l("For example “weekday mornings”."),
                                    validators=[Length(max=120)])
    on_behalf = BooleanField(_l("I am asking on behalf of someone else"))
    asked_by_name = StringField(_l("Your own name"), filters=[strip], validators=[Length(max=120)])
    asked_by_relation = StringField(_l("How do you know the person? (optional)"), filters=[strip],
                                    description=_l("For example daughter, neighbour or home carer."),
                                    validators=[Length(max=80)])
    consent = BooleanField(_l("The person has agreed that I ask for help on their behalf"))

    def validate(self, extra_validators=None):
        """The rules the service keeps too, checked here as well so that every problem is shown
        at once, next to its field."""
        valid = super().validate(extra_validators)
        from portal.help import errors
        problems = []
        if not self.phone.data and not self.email.data and not self.phone.errors and not self.email.errors:
            problems.append(errors.unreachable())
        if self.on_behalf.data or self.asked_by_name.data or self.asked_by_relation.data:
            if not self.asked_by_name.data and not self.asked_by_name.errors:
                problems.append(errors.asker_name())
            if not self.consent.data:
                problems.append(errors.no_consent())
        for problem in problems:
            field = getattr(self, problem.field)
            field.errors = list(field.errors) + [str(problem.message)]
        return valid and not problems


class PassForm(PortalForm):
    organisation = SelectField(_l("Organisation"),
                               validators=[DataRequired(_l("Choose an organisation."))])
    note = TextAreaField(_l("Note to the organisation (optional)"), filters=[strip],
                         description=_l("For example what the citizen said on the phone. The organisation's "
                                        "members read it in the portal."),
                         validators=[Length(max=2000)])


class HandBackForm(PortalForm):
    reason = TextAreaField(_l("Why can you not help?"), filters=[strip],
                           description=_l("The volunteer coordinator reads it and finds another way."),
                           validators=[DataRequired(_l("Write why you hand the request back.")),
                                       Length(min=5, max=1000)])


class CloseForm(PortalForm):
    note = TextAreaField(_l("What came of it"), filters=[strip],
                         description=_l("If the citizen gave an e-mail address, they get this note by e-mail. "
                                        "Otherwise you tell them by phone."),
                         validators=[DataRequired(_l("Write what came of the request.")), Length(min=5, max=2000)])
