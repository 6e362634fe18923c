"""An action shows the trend of the indicator it is meant to move, read from the
dashboards' snapshot (nothing computed while someone waits)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from childrenmatter.dashboards.snapshot import write_snapshot
from childrenmatter.improvement import actions

pytestmark = pytest.mark.django_db
MONTHS = [f"2026-{month:02d}" for month in range(1, 11)] + ["2025-11", "2025-12", "2025-10"]


def _snapshot(folder, dataset_folder):
    rows = [{"la_code": la_code, "period": month, "indicator": "contacts_decided_in_1_working_day",
             "unit": "percent", "value": float(number) + (0.5 if la_code == "805" else 0),
             "count": None, "numerator": number, "denominator": 100, "england": 80.0,
             "neighbours": 79.0, "target": 90.0, "rag": "red"}
            for number, month in enumerate(sorted(MONTHS), start=60)
            for la_code in ("806", "805")]
    frame = pl.DataFrame(rows, schema_overrides={"count": pl.Int64, "numerator": pl.Int64,
                                                 "denominator": pl.Int64})
    folder.mkdir(parents=True)
    write_snapshot(folder, frame, {code: {"name": code, "months": sorted(MONTHS)}
                                   for code in ("806", "805")},
                   source="dataset", dataset_folder=dataset_folder,
                   taken_at=dt.datetime(2026, 11, 2, 7, 0, tzinfo=dt.UTC))
    return folder


def test_the_action_shows_its_indicator_s_last_twelve_months(client, make_staff, settings,
                                                              small_dataset, tmp_path):
    settings.CHILDRENMATTER_DASHBOARD_SNAPSHOT = _snapshot(tmp_path / "snapshot", small_dataset)
    manager = make_staff("team_manager")
    plan = actions.create_plan(actor=manager, la_code="806", kind="improvement", title="Plan")
    theme = actions.add_theme(actor=manager, plan=plan, title="The front door")
    action = actions.add_action(
        actor=manager, plan=plan, theme=theme, title="Decide within a day", owner="Manager",
        rag="red", rag_reason="Slow", due_on=dt.date(2027, 1, 31),
        indicator="contacts_decided_in_1_working_day")
    client.force_login(manager)
    text = client.get(f"/improvement/plans/{plan.pk}/actions/{action.pk}/").content.decode()
    trend = text.split('id="trend"')[1].split("</table>")[0]
    periods = [cell.split("<")[0] for cell in trend.split('<td class="govuk-table__cell">')[1:]]
    # The last 12 of 13 months, oldest first, this authority's figures (not Hartlepool's .5)
    assert periods == sorted(MONTHS)[1:]
    assert ">61.0<" in trend and ">72.0<" in trend and ">60.0<" not in trend
    assert ".5<" not in trend


def test_an_action_page_says_when_there_are_no_figures_yet(client, make_staff, settings,
                                                          tmp_path):
    settings.CHILDRENMATTER_DASHBOARD_SNAPSHOT = tmp_path / "not-taken"
    manager = make_staff("team_manager")
    plan = actions.create_plan(actor=manager, la_code="806", kind="improvement", title="Plan")
    theme = actions.add_theme(actor=manager, plan=plan, title="The front door")
    action = actions.add_action(
        actor=manager, plan=plan, theme=theme, title="Decide within a day", owner="Manager",
        rag="red", rag_reason="Slow", due_on=dt.date(2027, 1, 31), indicator="contacts")
    client.force_login(manager)
    text = client.get(f"/improvement/plans/{plan.pk}/actions/{action.pk}/").content.decode()
    assert "The dashboards have no figures for this indicator yet" in text
