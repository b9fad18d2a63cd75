"""companies: employers, leave policies, employee links, team sign-ups, the frivilligbørs and badges

Revision ID: 7c0a1e5b2d10
Revises: 5c1e0a7d9b42
Create Date: 2026-11-29 14:50:34.002336

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c0a1e5b2d10'
down_revision = '5c1e0a7d9b42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('companies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('cvr', sa.String(length=8), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', 'suspended', name='companystatus', native_enum=False, length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('postcode', sa.String(length=4), nullable=False),
    sa.Column('city', sa.String(length=80), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('website', sa.String(length=200), nullable=True),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('contact_phone', sa.String(length=20), nullable=False),
    sa.Column('logo', sa.LargeBinary(), nullable=True),
    sa.Column('logo_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('applicant_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], name=op.f('fk_companies_applicant_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_companies_decided_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies')),
    sa.UniqueConstraint('slug', name=op.f('uq_companies_slug'))
    )
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_companies_status'), ['status'], unique=False)
        batch_op.create_index('uq_companies_live_cvr', ['cvr'], unique=True, sqlite_where=sa.text("status IN ('pending', 'approved', 'suspended')"), postgresql_where=sa.text("status IN ('pending', 'approved', 'suspended')"))

    op.create_table('badges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('earned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_badges_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_badges_revoked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badges')),
    sa.UniqueConstraint('company_id', 'year', name='uq_badges_company_year')
    )
    with op.batch_alter_table('badges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_badges_company_id'), ['company_id'], unique=False)

    op.create_table('company_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_company_invitations_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_company_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_company_invitations_token_hash'))
    )
    with op.batch_alter_table('company_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_invitations_company_id'), ['company_id'], unique=False)

    op.create_table('company_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_company_memberships_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_company_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_memberships'))
    )
    with op.batch_alter_table('company_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_memberships_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_memberships_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_company_memberships_live', ['user_id', 'company_id'], unique=True, sqlite_where=sa.text('removed_at IS NULL'), postgresql_where=sa.text('removed_at IS NULL'))

    op.create_table('company_skills',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('skill', sa.Enum('accounting', 'it', 'carpentry', 'painting', 'gardening', 'cooking', 'van', 'communication', 'legal', 'languages', name='skill', native_enum=False, length=20), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_company_skills_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('company_id', 'skill', name=op.f('pk_company_skills'))
    )
    with op.batch_alter_table('company_skills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_skills_skill'), ['skill'], unique=False)

    op.create_table('company_supports',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('paid_leave', 'team_days', 'skills', 'lending', 'sponsorship', name='supportkind', native_enum=False, length=20), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_company_supports_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('company_id', 'kind', name=op.f('pk_company_supports'))
    )
    with op.batch_alter_table('company_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_supports_kind'), ['kind'], unique=False)

    op.create_table('employee_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('share_name', sa.Boolean(), nullable=False),
    sa.Column('count_hours', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_employee_links_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_employee_links_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee_links'))
    )
    with op.batch_alter_table('employee_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employee_links_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_links_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_employee_links_live', ['user_id', 'company_id'], unique=True, sqlite_where=sa.text('removed_at IS NULL'), postgresql_where=sa.text('removed_at IS NULL'))

    op.create_table('leave_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('unit', sa.Enum('hours', 'days', name='leaveunit', native_enum=False, length=20), nullable=False),
    sa.Column('minutes_per_day', sa.Integer(), nullable=False),
    sa.Column('minutes_per_year', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Enum('any_task', 'chosen_causes', 'team_days', name='leavescope', native_enum=False, length=20), nullable=False),
    sa.Column('scope_note', sa.Text(), nullable=True),
    sa.Column('how_to_ask', sa.Text(), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount > 0 AND amount <= 10000', name=op.f('ck_leave_policies_amount_range')),
    sa.CheckConstraint('minutes_per_day > 0 AND minutes_per_day <= 1440', name=op.f('ck_leave_policies_minutes_per_day_range')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_leave_policies_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leave_policies')),
    sa.UniqueConstraint('company_id', name=op.f('uq_leave_policies_company_id'))
    )
    with op.batch_alter_table('leave_policies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leave_policies_minutes_per_year'), ['minutes_per_year'], unique=False)

    op.create_table('offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('paid_leave', 'team_days', 'skills', 'lending', 'sponsorship', name='supportkind', native_enum=False, length=20), nullable=False),
    sa.Column('title', sa.String(length=140), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='exchangestatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_offers_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_offers_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offers'))
    )
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offers_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offers_status'), ['status'], unique=False)

    op.create_table('wishes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('paid_leave', 'team_days', 'skills', 'lending', 'sponsorship', name='supportkind', native_enum=False, length=20), nullable=False),
    sa.Column('title', sa.String(length=140), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='exchangestatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_wishes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_wishes_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wishes'))
    )
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wishes_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wishes_status'), ['status'], unique=False)

    op.create_table('deals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('wish_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by', sa.Enum('company', 'organisation', name='dealside', native_enum=False, length=20), nullable=False),
    sa.Column('proposed_by_user_id', sa.Integer(), nullable=True),
    sa.Column('company_gives', sa.Text(), nullable=False),
    sa.Column('organisation_gives', sa.Text(), nullable=False),
    sa.Column('follow_up_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'agreed', 'declined', 'withdrawn', 'done', 'evaluated', name='dealstatus', native_enum=False, length=20), nullable=False),
    sa.Column('evaluation', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('evaluated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('follow_up_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_deals_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_deals_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_deals_offer_id_offers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_deals_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_user_id'], ['users.id'], name=op.f('fk_deals_proposed_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'], name=op.f('fk_deals_wish_id_wishes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deals'))
    )
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deals_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_deals_status_follow_up', ['status', 'follow_up_on'], unique=False)

    op.create_table('team_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('booked_by_id', sa.Integer(), nullable=True),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('seats >= 1', name=op.f('ck_team_signups_seats_positive')),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_team_signups_booked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_team_signups_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['slots.id'], name=op.f('fk_team_signups_slot_id_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_signups'))
    )
    with op.batch_alter_table('team_signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_signups_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_signups_slot_id'), ['slot_id'], unique=False)

    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_signup_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_signups_team_signup_id'), ['team_signup_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_signups_team_signup_id_team_signups'), 'team_signups', ['team_signup_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_size', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('wanted_skill', sa.Enum('accounting', 'it', 'carpentry', 'painting', 'gardening', 'cooking', 'van', 'communication', 'legal', 'languages', name='skill', native_enum=False, length=20), nullable=True))
        batch_op.create_check_constraint('team_size_range', 'team_size IS NULL OR (team_size >= 2 AND team_size <= 100)')



def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_tasks_team_size_range'), type_='check')
        batch_op.drop_column('wanted_skill')
        batch_op.drop_column('team_size')

    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_signups_team_signup_id_team_signups'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_signups_team_signup_id'))
        batch_op.drop_column('team_signup_id')

    with op.batch_alter_table('team_signups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_signups_slot_id'))
        batch_op.drop_index(batch_op.f('ix_team_signups_company_id'))

    op.drop_table('team_signups')
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index('ix_deals_status_follow_up')
        batch_op.drop_index(batch_op.f('ix_deals_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_deals_company_id'))

    op.drop_table('deals')
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wishes_status'))
        batch_op.drop_index(batch_op.f('ix_wishes_organisation_id'))

    op.drop_table('wishes')
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offers_status'))
        batch_op.drop_index(batch_op.f('ix_offers_company_id'))

    op.drop_table('offers')
    with op.batch_alter_table('leave_policies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leave_policies_minutes_per_year'))

    op.drop_table('leave_policies')
    with op.batch_alter_table('employee_links', schema=None) as batch_op:
        batch_op.drop_index('uq_employee_links_live', sqlite_where=sa.text('removed_at IS NULL'), postgresql_where=sa.text('removed_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_employee_links_user_id'))
        batch_op.drop_index(batch_op.f('ix_employee_links_company_id'))

    op.drop_table('employee_links')
    with op.batch_alter_table('company_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_supports_kind'))

    op.drop_table('company_supports')
    with op.batch_alter_table('company_skills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_skills_skill'))

    op.drop_table('company_skills')
    with op.batch_alter_table('company_memberships', schema=None) as batch_op:
        batch_op.drop_index('uq_company_memberships_live', sqlite_where=sa.text('removed_at IS NULL'), postgresql_where=sa.text('removed_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_company_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_company_memberships_company_id'))

    op.drop_table('company_memberships')
    with op.batch_alter_table('company_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_invitations_company_id'))

    op.drop_table('company_invitations')
    with op.batch_alter_table('badges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_badges_company_id'))

    op.drop_table('badges')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_index('uq_companies_live_cvr', sqlite_where=sa.text("status IN ('pending', 'approved', 'suspended')"), postgresql_where=sa.text("status IN ('pending', 'approved', 'suspended')"))
        batch_op.drop_index(batch_op.f('ix_companies_status'))

    op.drop_table('companies')
