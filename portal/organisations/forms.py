from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Email, Length, Optional

from portal import pictures
from portal.auth.forms import EMAIL_MSG
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)
from portal.forms import PortalForm, danish_postcode, phone_number, strip
from portal.models import MUNICIPAL_KINDS, MembershipRole, OrganisationKind

KIND_LABELS = {
    OrganisationKind.association: _l("Association (forening)"),
    OrganisationKind.school: _l("School"),
    OrganisationKind.daycare: _l("Daycare (dagtilbud)"),
    OrganisationKind.care_home: _l("Care home or care centre"),
    OrganisationKind.activity_house: _l("Activity house"),
    OrganisationKind.library_museum: _l("Library or museum"),
    OrganisationKind.municipal_unit: _l("Municipal unit"),
    OrganisationKind.other: _l("Other"),
}

ROLE_LABELS = {
    MembershipRole.admin: _l("Administrator: can post tasks and invite colleagues"),
    MembershipRole.member: _l("Member: can post tasks"),
}


class OrganisationForm(PortalForm):
    name = StringField(_l("Name of the organisation"), filters=[strip],
                       validators=[DataRequired(_l("Enter the name of the organisation.")), Length(max=120)])
    kind = SelectField(_l("Type"), choices=[SelectChoice("", _l("Choose…"))]
                       + [SelectChoice(k.value, v) for k, v in KIND_LABELS.items()],
                       validators=[DataRequired(_l("Choose what kind of organisation it is."))])
    description = TextAreaField(
        _l("Description"), filters=[strip],
        description=_l("What do you do, and what could volunteers help with? A few sentences are enough."),
        validators=[DataRequired(_l("Write a short description.")),
                    Length(min=20, max=4000, message=_l("Write between %(min)d and %(max)d characters."))])
    address = StringField(_l("Street address"), filters=[strip],
                          validators=[DataRequired(_l("Enter the street address.")), Length(max=200)])
    postcode = StringField(_l("Postcode"), filters=[strip],
                           validators=[DataRequired(_l("Enter the postcode.")), danish_postcode])
    city = StringField(_l("Town"), filters=[strip],
                       validators=[DataRequired(_l("Enter the town.")), Length(max=80)])
    website = StringField(_l("Website (optional)"), filters=[strip],
                          validators=[Optional(), URL(message=_l("Enter a full web address, for example https://example.dk.")),
                                      Length(max=200)])
    contact_name = StringField(_l("Responsible contact person"), filters=[strip],
                               description=_l("The person the volunteer coordinator can contact."),
                               validators=[DataRequired(_l("Enter the name of the contact person.")), Length(max=120)])
    contact_email = EmailField(_l("Contact person's e-mail"), filters=[strip],
                               validators=[DataRequired(_l("Enter the contact person's e-mail address.")),
                                           Email(EMAIL_MSG), Length(max=254)])
    contact_phone = StringField(_l("Contact person's phone"), filters=[strip],
                                validators=[DataRequired(_l("Enter the contact person's phone number.")), phone_number])
    # The contact person for volunteers (issue 13): required for municipal institutions, optional for
    # associations (whose general contact is then shown).
    volunteer_contact_name = StringField(
        _l("Contact person for volunteers"), filters=[strip],
        description=_l("The person volunteers can ask about tasks, times and practical matters. Required for "
                       "municipal institutions; associations may leave it empty and use the contact above."),
        validators=[Optional(), Length(max=120)])
    volunteer_contact_email = EmailField(_l("The volunteer contact's e-mail"), filters=[strip],
                                         validators=[Optional(), Email(EMAIL_MSG), Length(max=254)])
    volunteer_contact_phone = StringField(_l("The volunteer contact's phone"), filters=[strip],
                                          description=_l("Shown only to volunteers who are logged in."),
                                          validators=[Optional(), phone_number])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators=extra_validators)
        if self.kind.data not in {k.value for k in MUNICIPAL_KINDS}:
            return valid
        if not self.volunteer_contact_name.data and not self.volunteer_contact_name.errors:
            self.volunteer_contact_name.errors = [*self.volunteer_contact_name.errors, _l(
                "A municipal institution names a contact person for volunteers. Enter a name.")]
            valid = False
        if not (self.volunteer_contact_email.data or self.volunteer_contact_phone.data) \
                and not self.volunteer_contact_email.errors and not self.volunteer_contact_phone.errors:
            self.volunteer_contact_email.errors = [*self.volunteer_contact_email.errors, _l(
                "Enter an e-mail address or a phone number for the contact person for volunteers.")]
            valid = False
        return valid


class OrganisationEditForm(OrganisationForm):
    """The edit page adds the organisation's picture."""
    picture = FileField(_l("Picture (optional)"), render_kw=pictures.ACCEPT,
                        description=_l("A PNG, JPEG or WebP file under 5 MB, shown on your organisation's page. "
                                       "We make it smaller and remove hidden information in the "
                                       "file, such as where it was taken. If the form comes back with a message, "
                                       "choose the file again."))
    picture_alt = StringField(_l("Describe the picture"), filters=[strip],
                              description=_l("Needed with a picture: a short sentence for people who cannot see it, "
                                             "for example “Volunteers with rubbish bags on the beach”."),
                              validators=[Optional(), Length(max=200)])
    remove_picture = BooleanField(_l("Remove the picture"))
    requires_code_of_conduct = BooleanField(
        _l("Volunteers must accept the volunteer charter before their first sign-up with us"),
        description=_l("The volunteer charter is the municipality's shared agreement on how we treat each other. "
                       "When it changes, volunteers are asked to accept the new version."))


PICTURE_FIELDS = ("picture", "picture_alt", "remove_picture")


class InviteForm(PortalForm):
    email = EmailField(_l("Colleague's e-mail address"), filters=[strip],
                       validators=[DataRequired(_l("Enter an e-mail address.")), Email(EMAIL_MSG),
                                   Length(max=254)])
    role = RadioField(_l("Role"), default=MembershipRole.member.value,
                      choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()],
                      validators=[DataRequired(_l("Choose a role."))])
