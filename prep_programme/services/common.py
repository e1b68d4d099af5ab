"""What the programme's services share: the reminder kinds and saving with full_clean."""

ENROLMENT_KIND = "prep.enrolment_proposed"
PLACEMENT_TO_LINK_KIND = "prep.placement_to_link"
PLACEMENT_ENDED_KIND = "prep.placement_ended"
ABSENT_TWICE_KIND = "prep.absent_twice"
NO_COACHING_KIND = "prep.no_coaching"
NO_COACHING_DAYS = 14


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance
