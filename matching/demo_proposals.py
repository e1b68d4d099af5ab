"""An assignment proposal per city, computed from the demo pool, with a few rows decided: two
accepted (they go on the shortlist) and one rejected, the rest waiting for the coordinator."""

from restart_platform.accounts.models import City, User

from .models import Proposal
from .services import proposal_row_decide, proposal_run

ACCEPTED, REJECTED = 2, 1


def seed(*, stdout=None) -> None:
    made = 0
    for city in City.objects.order_by("name"):
        coordinator = (
            User.objects.filter(role=User.Role.COORDINATOR, is_active=True, cities=city)
            .order_by("pk")
            .first()
        )
        if coordinator is None or Proposal.objects.filter(city=city).exists():
            continue
        # Computed here rather than by a worker: the demo should not wait for one to be running.
        proposal = Proposal.objects.create(city=city, requested_by=coordinator)
        proposal = proposal_run(proposal.pk)
        rows = list(proposal.rows.select_related("youth", "opening").order_by("-score", "pk"))
        for row in rows[:ACCEPTED]:
            proposal_row_decide(row=row, by=coordinator, accept=True)
        for row in rows[ACCEPTED : ACCEPTED + REJECTED]:
            proposal_row_decide(row=row, by=coordinator, accept=False)
        made += 1
    if stdout is not None:
        stdout.write(f"  computed {made} assignment proposals")
