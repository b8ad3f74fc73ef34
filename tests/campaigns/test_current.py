"""The current campaign is read without its heavy columns; they load, whole, when asked for."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zuofeng.campaigns.models import Campaign
from zuofeng.campaigns.selectors import HEAVY_FIELDS, campaign_current


def test_the_current_campaign_leaves_the_definition_unread_until_asked(seed):
    with CaptureQueriesContext(connection) as read:
        current = campaign_current()
    assert (current.pk, len(read)) == (seed.pk, 1)
    assert all(f'"{name}"' not in read[0]["sql"] for name in HEAVY_FIELDS)
    stored = Campaign.objects.get(pk=seed.pk)
    with CaptureQueriesContext(connection) as asked:
        assert (current.definition, current.opinion_body) == (stored.definition, stored.opinion_body)
    assert len(asked) == 2  # one per field, on first use
    assert "supervision" in current.definition and current.title == stored.title
