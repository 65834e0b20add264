"""Correcting an incident from the source panel: the form, the store, the audit log, the page."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import correction_form, corrections, panels
from dashboard.errors import CorrectionError
from dashboard.synthetic import articles_with_incidents, write_test_store
from incidents.errors import StoreError
from incidents.store import IncidentStore

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
TIMEOUT = 120
RUTBA = articles_with_incidents()[1][1][0]  # Rutba, Al-Anbar; its article holds <script>


@pytest.fixture(autouse=True)
def private_snapshots(tmp_path, monkeypatch):
    from dashboard import data

    monkeypatch.setattr(data, "snapshot_dir", lambda: tmp_path / "snapshots")


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = write_test_store(tmp_path / "atlas.sqlite", synthetic=20)
    monkeypatch.setenv("INCIDENT_ATLAS_DB", str(path))
    monkeypatch.setenv("INCIDENT_ATLAS_TILES", "none")
    return path


def stored(path: Path, incident_id: str = RUTBA.incident_id):
    with IncidentStore(path, readonly=True) as store:
        return store.get_incident(incident_id), store.audit_log(incident_id)


def open_panel(incident_id: str = RUTBA.incident_id) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[panels.PAGE_DRAWN] = True
    at.session_state["incident_id"] = incident_id
    return at.run()


class Form:
    """The panel's correction form in an AppTest, its widgets found by field name."""

    def __init__(self, at: AppTest) -> None:
        self.at = at
        keys = [w.key for w in at.text_input
                if w.key and w.key.startswith("fix_") and w.key.endswith("_who")]
        assert len(keys) == 1, keys
        self.prefix = keys[0].removesuffix("_who")

    def widget(self, kind: str, name: str):
        return getattr(self.at, kind)(key=f"{self.prefix}_{name}")

    def submit(self, button: str = "save") -> AppTest:
        self.at.button(key=f"{self.prefix}_{button}").click()
        return self.at.run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def page_html(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.html)


def test_an_edit_is_saved_logged_and_shown(store_path):
    at = open_panel()
    assert not at.exception, at.exception
    killed_before = int(metric(at, "People killed").replace(",", ""))
    assert any(e.label == "Correct this incident" for e in at.expander)
    assert "No analyst has changed this incident yet." in [c.value for c in at.caption]
    form = Form(at)
    form.widget("number_input", "killed_best").set_value(7)
    form.widget("text_input", "location").input("Rutbah <b>town</b>")
    form.widget("text_input", "who").input("alice")
    at = form.submit()
    assert not at.exception, at.exception

    incident, log = stored(store_path)
    assert incident.killed.best == 7 and incident.killed.low == 3 and incident.killed.high == 7
    assert incident.location.name == "Rutbah <b>town</b>" and incident.status == "edited"
    assert set(log["field"]) == {"killed_best", "killed_high", "location", "status"}
    assert set(log["who"]) == {"alice"}
    # the page read the store's new version: figures, table, record and history follow
    assert int(metric(at, "People killed").replace(",", "")) == killed_before + 4
    assert "Rutbah <b>town</b>" in set(at.dataframe[0].value["location"])
    html = page_html(at)
    assert "Rutbah &lt;b&gt;town&lt;/b&gt;" in html and "<b>town" not in html
    assert "Edit history" in "".join(m.value for m in at.markdown)
    assert "<li>Killed (best): 3 → 7</li>" in html and "<b>alice</b>" in html
    success = at.success[0].value
    assert "Saved by alice" in success and "Killed (best): 3 → 7" in success
    # a fresh form with the stored values, the name remembered for the session
    again = Form(at)
    assert again.prefix != form.prefix
    assert again.widget("number_input", "killed_best").value == 7
    assert again.widget("text_input", "who").value == "alice"


def test_moving_the_point_finds_the_province_again_unless_it_is_chosen(store_path):
    at = open_panel()
    form = Form(at)
    form.widget("number_input", "latitude").set_value(33.3152)  # Baghdad
    form.widget("number_input", "longitude").set_value(44.3661)
    form.widget("text_input", "who").input("bob")
    at = form.submit()
    incident, log = stored(store_path)
    assert (incident.location.admin1_code, incident.location.country) == ("IQ-BG", "IQ")
    assert {"latitude", "longitude", "admin1_code", "admin1"} <= set(log["field"])
    assert "province found again from the point" in at.success[0].value

    form = Form(at)
    form.widget("number_input", "latitude").set_value(33.04)  # back near Rutba...
    form.widget("selectbox", "admin1_code").set_value("IQ-NI")  # ...but Nineveh, by hand
    form.submit()
    incident, _ = stored(store_path)
    assert incident.location.lat == 33.04 and incident.location.admin1_code == "IQ-NI"


def test_a_bad_value_is_refused_and_nothing_is_written(store_path):
    at = open_panel()
    form = Form(at)
    form.widget("number_input", "latitude").set_value(95.0)
    form.widget("number_input", "killed_best").set_value(9)
    form.widget("text_input", "who").input("alice")
    at = form.submit()
    assert not at.exception
    assert any("latitude" in e.value and "95" in e.value for e in at.error)
    incident, log = stored(store_path)
    assert incident == RUTBA and log.empty
    # the form stays open with what the analyst typed, to fix it
    assert Form(at).widget("number_input", "latitude").value == 95.0


def test_a_value_the_store_refuses_is_shown_with_its_field(store_path):
    at = open_panel()
    form = Form(at)
    form.widget("text_area", "summary").input("")
    form.widget("number_input", "killed_best").set_value(4)
    form.widget("text_input", "who").input("alice")
    at = form.submit()
    assert [e.value for e in at.error] == ["Not saved: summary cannot be empty"]
    incident, log = stored(store_path)
    assert incident == RUTBA and log.empty  # the count was not written either


def test_a_name_is_required(store_path):
    at = open_panel()
    form = Form(at)
    form.widget("text_area", "summary").input("Checked")
    at = form.submit()
    assert any("Give your name" in e.value for e in at.error)
    incident, log = stored(store_path)
    assert incident.summary == RUTBA.summary and log.empty


def test_mark_reviewed_sets_the_status_only(store_path):
    at = open_panel()
    form = Form(at)
    form.widget("text_input", "who").input("carol")
    form.widget("text_input", "actor1").input("Somebody")
    at = form.submit("review")  # with an unsaved change: refused, nothing written
    assert any("unsaved changes (Actor 1)" in w.value for w in at.warning)
    assert stored(store_path)[1].empty

    form = Form(at)
    form.widget("text_input", "actor1").input(RUTBA.actor1 or "")
    at = form.submit("review")
    incident, log = stored(store_path)
    assert incident.status == "reviewed" and incident.actor1 == RUTBA.actor1
    assert log[["who", "field", "old", "new"]].values.tolist() == [
        ["carol", "status", '"machine"', '"reviewed"']]
    assert "Marked reviewed by carol." in at.success[0].value
    assert Form(at).widget("button", "review").disabled


def test_not_an_incident_takes_it_off_the_map_and_restore_brings_it_back(store_path):
    at = open_panel()
    before = metric(at, "Incidents")
    form = Form(at)
    form.widget("text_input", "who").input("dave")
    at = form.submit("reject")
    incident, log = stored(store_path)
    assert incident.status == "rejected"
    assert log[["who", "field", "new"]].values.tolist() == [["dave", "status", '"rejected"']]
    assert "Rejected by dave" in at.success[0].value
    assert int(metric(at, "Incidents").replace(",", "")) == int(before.replace(",", "")) - 1
    form = Form(at)
    assert form.widget("button", "reject").label == "Restore"
    at = form.submit("reject")
    assert stored(store_path)[0].status == "edited"
    assert metric(at, "Incidents") == before


def test_a_read_only_store_is_said_not_crashed(store_path, monkeypatch):
    monkeypatch.setattr(corrections.os, "access", lambda p, mode: mode != os.W_OK)
    at = open_panel()
    assert not at.exception
    assert any("read-only on disk" in w.value for w in at.warning)
    assert not [w for w in at.text_input if w.key and w.key.endswith("_who")]


# -- the pieces, without Streamlit -------------------------------------------------------------


def test_plan_sends_only_what_changed_and_what_follows():
    before = corrections.form_values(RUTBA)
    assert corrections.plan(RUTBA, before, provinces={}).changes == {}
    plan = corrections.plan(RUTBA, {**before, "killed_best": 1, "summary": "  "},
                            provinces={})
    assert plan.edited == ("killed_best", "summary")
    assert plan.changes == {"killed_best": 1, "killed_low": 1, "killed_high": 3,
                            "summary": None}  # the store refuses an empty summary
    plan = corrections.plan(RUTBA, {**before, "killed_best": None}, provinces={})
    assert plan.changes == {"killed_best": None, "killed_low": None, "killed_high": None}
    plan = corrections.plan(RUTBA, {**before, "admin1_code": "IQ-NI", "latitude": 36.3},
                            provinces={"IQ-NI": ("Ninawa", "IQ")})
    assert not plan.rejoined and plan.changes == {
        "latitude": 36.3, "admin1_code": "IQ-NI", "admin1": "Ninawa", "country": "IQ"}


def test_plan_refuses_half_a_point_and_dates_out_of_order():
    before = corrections.form_values(RUTBA)
    with pytest.raises(CorrectionError, match="give both coordinates"):
        corrections.plan(RUTBA, {**before, "longitude": None}, provinces={})
    with pytest.raises(CorrectionError, match="before the start date"):
        corrections.plan(RUTBA, {**before, "date_end": date(2000, 1, 1)}, provinces={})
    with pytest.raises(StoreError, match="outside -90..90"):
        corrections.plan(RUTBA, {**before, "latitude": 95.0}, provinces={})


def test_a_field_changed_meanwhile_is_not_overwritten(tmp_path):
    path = write_test_store(tmp_path / "atlas.sqlite")
    before = corrections.form_values(RUTBA)
    with IncidentStore(path) as store:
        store.update_incident(RUTBA.incident_id, {"location": "Ar Rutbah"}, who="dave")
    plan = corrections.plan(RUTBA, {**before, "location": "Rutba town"}, provinces={})
    with pytest.raises(CorrectionError, match="changed in the store since"):
        corrections.save_correction(path, RUTBA.incident_id, plan, who="erin",
                                    expected={**before, "status": RUTBA.status})
    assert stored(path)[0].location.name == "Ar Rutbah"
    with pytest.raises(CorrectionError, match="Give your name"):
        corrections.save_correction(path, RUTBA.incident_id, plan, who=" ", expected=before)


def test_history_rows_read_the_audit_log_newest_first(tmp_path):
    path = write_test_store(tmp_path / "atlas.sqlite")
    with IncidentStore(path) as store:
        store.update_incident(RUTBA.incident_id, {"flags": ["a", "b"]}, who="x")
        store.update_incident(RUTBA.incident_id, {"killed_best": 4}, who="y")
        rows = corrections.history_rows(store.audit_log(RUTBA.incident_id))
    seen = [(r.who, r.field, r.old, r.new) for r in rows]
    assert seen[0][0] == "y" and ("y", "Killed (best)", "3", "4") in seen  # newest first
    assert ("y", "Killed (high)", "3", "4") in seen  # the range widened to hold the new best
    assert ("x", "Flags", "(empty)", "a; b") in seen and ("x", "Status", "machine", "edited") in seen
    assert rows[0].when.endswith(" UTC")


def test_markdown_in_messages_stays_text():
    assert correction_form.markdown_text("![x](http://e/) *a* $b$") == \
        r"\!\[x\](http://e/) \*a\* \$b\$"


def second_report(path: Path) -> str:
    """Store another article reporting the Rutba incident as an incident of its own (as if
    linking had missed it); returns that incident's id."""
    from dataclasses import replace

    article, (incident,) = articles_with_incidents()[1]
    other = replace(article, article_id="second-report", ref="second.txt",
                    text=article.text.replace("Rutba", "Rutba town"))
    copy = replace(incident, incident_id="second-rutba", article_ids=("second-report",),
                   evidence=())
    with IncidentStore(path) as store:
        store.add_article(other, [copy])
    return copy.incident_id


def test_the_panel_offers_likely_duplicates_and_merges_one(store_path):
    other = second_report(store_path)
    at = open_panel()
    keys = [w.key for w in at.selectbox if w.key and w.key.startswith("merge_")]
    assert len(keys) == 1
    choice = at.selectbox(key=keys[0])
    assert [o for o in choice.options if o.endswith(other)] and "0 km away" in choice.options[1]
    prefix = keys[0].removesuffix("_choice")
    choice.set_value(other)
    at.text_input(key=f"{prefix}_who").input("bob")
    at.button(key=f"FormSubmitter:{prefix}_form-Merge into this incident").click()
    at = at.run()
    assert not at.exception, at.exception

    incident, log = stored(store_path)
    assert incident.article_ids == (RUTBA.article_ids[0], "second-report")
    assert {"merged_from"} <= set(log["field"]) and set(log["who"]) >= {"bob"}
    with IncidentStore(store_path, readonly=True) as store:
        assert other not in set(store.incidents_frame()["incident_id"])
    assert "Merged incident second-rutba into this one (bob): 2 articles" in at.success[0].value


def test_a_merge_without_a_name_or_a_choice_writes_nothing(store_path):
    other = second_report(store_path)
    at = open_panel()
    prefix = next(w.key for w in at.selectbox if w.key and w.key.startswith("merge_")
                  ).removesuffix("_choice")
    submit = f"FormSubmitter:{prefix}_form-Merge into this incident"
    at.button(key=submit).click()
    at = at.run()
    assert "Choose an incident" in at.warning[0].value
    at.selectbox(key=f"{prefix}_choice").set_value(other)
    at.button(key=submit).click()
    at = at.run()
    assert "Not merged" in at.error[0].value and "name" in at.error[0].value
    incident, log = stored(store_path)
    assert incident.article_ids == RUTBA.article_ids and "merged_from" not in set(log["field"])


def test_likely_duplicates_are_the_same_type_near_in_place_and_time():
    import pandas as pd

    from incidents.model import Location

    table = pd.DataFrame({
        "incident_id": ["self", "near", "far", "other-type", "late", "no-point"],
        "event_type": ["Battles", "Battles", "Battles", "Riots", "Battles", "Battles"],
        "latitude": [33.0, 33.1, 36.0, 33.0, 33.0, None],
        "longitude": [40.0, 40.1, 40.0, 40.0, 40.0, None],
        "date_start": pd.to_datetime(["2019-05-01", "2019-05-03", "2019-05-01", "2019-05-01",
                                      "2019-06-20", "2019-05-01"]),
        "date_end": pd.to_datetime([None, None, None, None, None, None]),
    })
    incident = RUTBA.__class__.from_dict({**RUTBA.to_dict(), "incident_id": "self",
                                          "event_type": "Battles", "date_start": "2019-05-01",
                                          "date_end": "2019-05-02"})
    incident = __import__("dataclasses").replace(
        incident, location=Location(name="X", lat=33.0, lon=40.0))
    found = corrections.likely_duplicates(table, incident)
    assert list(found["incident_id"]) == ["near"]
    assert 10 < found["distance_km"].iloc[0] < 20
