"""Who reaches the programme's pages."""

from restart_platform.accounts.access import role_required
from restart_platform.accounts.models import User

Role = User.Role
programme_staff = role_required(Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER)
employer_contact_only = role_required(Role.EMPLOYER_CONTACT)
