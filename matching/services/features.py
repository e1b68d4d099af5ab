"""The notes of what changed for the warm features (matching.features) are kept for a day."""

from datetime import datetime, timedelta

from django.utils import timezone

from ..models import FeatureChange

KEEP_NOTES = timedelta(days=1)


def feature_changes_prune(*, now: datetime | None = None) -> int:
    """Delete the notes older than a day. A process that has not refreshed for hours loads
    everything again (matching.features.IDLE_RELOAD_SECONDS), so none of them needs older ones."""
    cutoff = (now or timezone.now()) - KEEP_NOTES
    deleted, _ = FeatureChange.objects.filter(changed_at__lt=cutoff).delete()
    return deleted
