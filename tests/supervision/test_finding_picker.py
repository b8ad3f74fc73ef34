"""The finding form links a problem or measure of the visited unit by picking it from that unit's list
(loaded for the chosen unit), never by typing an id; only items the inspector may read are offered."""

import pytest

from zuofeng.supervision.models import Finding


@pytest.fixture
def items(round_, problem_with_measure):
    # problem_with_measure is section_a1's, a unit of the round
    return problem_with_measure


def _related(client, round_, unit_id):
    return client.get(f"/supervision/rounds/{round_.pk}/findings/related/", {"unit": unit_id})


def test_the_list_offers_the_chosen_units_problems_and_measures(round_, items, org, inspectors, client_for):
    problem, measure = items
    team = client_for(inspectors.on_team)
    page = _related(team, round_, org.section_a1.pk).content.decode()
    assert f'value="problem-{problem.pk}"' in page
    assert f"问题 {problem.pk}：窗口办件推诿扯皮，群众多次跑腿" in page
    assert f"措施 {measure.pk}：实行首问负责制，一次告知办理要求" in page
    # another unit of the round has none; a unit outside the round offers nothing either
    for unit in (org.section_b1, org.section_a2):
        assert "problem-" not in _related(team, round_, unit.pk).content.decode()
    # the form opened for a unit (from the round page) has its list at once
    form = team.get(f"/supervision/rounds/{round_.pk}/findings/new/", {"unit": org.section_a1.pk}).content.decode()
    assert f'value="measure-{measure.pk}"' in form
    assert 'hx-get="/supervision/rounds/' in form


def test_only_the_team_loads_the_list(round_, items, org, people, inspectors, client_for):
    assert _related(client_for(inspectors.off_team), round_, org.section_a1.pk).status_code == 404
    for user in (people.office, people.own_clerk, people.judge, people.sysadmin):
        assert _related(client_for(user), round_, org.section_a1.pk).status_code == 403, user


def test_a_unit_taken_out_of_the_round_is_offered_nothing(round_, items, org, inspectors, client_for):
    # The inspector reads a unit's list only while it is in one of their rounds.
    round_.units.remove(org.section_a1)
    assert "problem-" not in _related(client_for(inspectors.on_team), round_, org.section_a1.pk).content.decode()


def _post(client, round_, org, **overrides):
    data = {
        "unit": org.section_a1.pk,
        "category": round_.campaign.categories.get(key="duty").pk,
        "severity": "general",
        "text": "首问负责制未落实",
        "found_on": "2018-10-09",
        **overrides,
    }
    return client.post(f"/supervision/rounds/{round_.pk}/findings/new/", data)


def test_a_picked_measure_links_the_measure_and_its_problem(round_, items, org, inspectors, client_for):
    problem, measure = items
    response = _post(client_for(inspectors.on_team), round_, org, related=f"measure-{measure.pk}")
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.measure_id, finding.related_problem_id) == (measure.pk, problem.pk)


def test_a_picked_problem_links_the_problem_only(round_, items, org, inspectors, client_for):
    problem, _ = items
    assert _post(client_for(inspectors.on_team), round_, org, related=f"problem-{problem.pk}").status_code == 302
    finding = Finding.objects.get()
    assert (finding.measure_id, finding.related_problem_id) == (None, problem.pk)


def test_an_item_of_another_unit_is_refused_at_the_field(round_, items, org, inspectors, client_for):
    _, measure = items
    response = _post(
        client_for(inspectors.on_team), round_, org, unit=org.section_b1.pk, related=f"measure-{measure.pk}"
    )
    assert response.status_code == 400
    assert response.context["form"].errors["related"] == ["请从所选单位的问题或措施中选择。"]
    assert "首问负责制未落实" in response.content.decode()  # what was typed is kept
    assert not Finding.objects.exists()
