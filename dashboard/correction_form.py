"""The source panel's correction form and edit history (Streamlit).

The form sits in a collapsed expander under the record so reading comes first. Its widgets'
keys carry a digest of the values they start from: when the stored record changes (this
analyst's save, or anyone's), the next run draws a fresh form from the new values instead of
keeping stale ones that a later save would write back.

Saving happens in the submit buttons' callback, which runs *before* the page's script: the
page then reads the store's new version (its stamp changed), so the map, figures, table and
panel all show the corrected values in that same run. The callback leaves its outcome in
``st.session_state[OUTCOME]`` for the panel to show.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import corrections, data
from dashboard.errors import DashboardError
from dashboard.filters import PRECISION_LABELS
from incidents.errors import IncidentsError
from incidents.model import EVENT_TYPES, REJECTED, Incident

#: Session key of the analyst's name, remembered for the session once given.
ANALYST = "atlas_analyst"
#: Session key of the last save's outcome (shown by :func:`show_outcome`).
OUTCOME = "atlas_correction_outcome"
#: Dates the form accepts (the date picker needs bounds).
EARLIEST = date(1900, 1, 1)

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!#|~$])")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the last save of the session did: ``level`` is success, info, warning or error."""

    incident_id: str
    level: str
    text: str


def markdown_text(text: str) -> str:
    """``text`` with Markdown's special characters escaped, for ``st.success``/``st.error``
    (they render Markdown: an analyst's or article's ``![](http://…)`` must stay text)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def widget_prefix(incident: Incident) -> str:
    """Prefix of the form's widget keys: the incident and a digest of its form values."""
    values = corrections.form_values(incident)
    digest = hashlib.sha256(repr((incident.incident_id, incident.status,
                                  sorted(values.items()))).encode()).hexdigest()[:12]
    return f"fix_{digest}"


def history(path: str, stamp: data.StoreStamp, incident_id: str) -> None:
    """The incident's analyst changes, newest first: one entry per save (when, who) listing
    each field's old → new value; every text escaped."""
    rows = corrections.history_rows(data.edit_history(path, stamp, incident_id))
    if not rows:
        st.caption("No analyst has changed this incident yet.")
        return
    entries = []
    for (when, who), changes in itertools.groupby(rows, key=lambda r: (r.when, r.who)):
        items = "".join(f"<li>{html.escape(r.field)}: {html.escape(r.old)} → "
                        f"{html.escape(r.new)}</li>" for r in changes)
        entries.append(f"<div class='atlas-history-entry'><b>{html.escape(who)}</b> "
                       f"<span style='color:#666'>{html.escape(when)}</span>"
                       f"<ul style='margin:0 0 0.3rem 1.1rem;padding:0'>{items}</ul></div>")
    st.markdown(f"**Edit history** ({len(rows)} change{'s' if len(rows) != 1 else ''})")
    st.html(f"<div class='atlas-record atlas-history'>{''.join(entries)}</div>")


def _outcome(incident_id: str) -> Outcome | None:
    """What the session's last save of this incident did, if anything.

    Kept until the next save or until another incident is opened: the page reruns for
    reasons of its own (the map's first report), which must not wipe the message.
    """
    outcome: Outcome | None = st.session_state.get(OUTCOME)
    if outcome is not None and outcome.incident_id != incident_id:
        del st.session_state[OUTCOME]
        return None
    return outcome


def _show(outcome: Outcome) -> None:
    getattr(st, outcome.level)(markdown_text(outcome.text))


def _province_options(path: str, stamp: data.StoreStamp, incident: Incident
                      ) -> tuple[list[str], dict[str, str], dict[str, tuple[str, str]]]:
    """Codes offered for the province, their labels, and code -> (name, country)."""
    loc = incident.location
    wanted = set(data.countries(path, stamp))
    if loc is not None and loc.country:
        wanted.add(loc.country)
    choices = data.province_choices(tuple(sorted(wanted)))
    labels = {code: f"{name} ({code})" for code, (name, _) in choices.items()}
    current = loc.admin1_code if loc else None
    codes = list(choices)
    if current and current not in choices:
        codes.insert(0, current)
        labels[current] = f"{(loc.admin1 if loc else None) or 'stored province'} ({current})"
    codes.insert(0, "")
    labels[""] = "— none / not known —"
    return codes, labels, choices


def form(path: str, stamp: data.StoreStamp, incident: Incident) -> None:
    """The "Correct this incident" expander: the form, or why the store cannot be written."""
    outcome = _outcome(incident.incident_id)
    refused = outcome is not None and outcome.level in ("error", "warning")
    if outcome is not None and not refused:
        _show(outcome)  # the form folds away after a save: say what changed above it
    with st.expander("Correct this incident", icon=":material/edit:", expanded=refused):
        problem = corrections.write_problem(path)
        if problem:
            st.warning(markdown_text(problem))
            return
        _form(path, stamp, incident, refused=outcome if refused else None)


def _form(path: str, stamp: data.StoreStamp, incident: Incident, *,
          refused: Outcome | None) -> None:
    prefix = widget_prefix(incident)
    values = corrections.form_values(incident)
    codes, labels, provinces = _province_options(path, stamp, incident)
    days = [d for d in (values["date_start"], values["date_end"]) if d]
    earliest, latest = min([EARLIEST, *days]), max([date.today(), *days])
    types = list(EVENT_TYPES) if incident.event_type in EVENT_TYPES else \
        [incident.event_type, *EVENT_TYPES]

    def key(name: str) -> str:
        return f"{prefix}_{name}"

    with st.form(key("form"), border=False, enter_to_submit=False):
        st.caption("Change what the machine got wrong. Only the fields you change are "
                   "saved, each kept in the edit history with your name.")
        st.selectbox("Event type", types, index=types.index(incident.event_type),
                     key=key("event_type"))
        st.text_input("Sub-event type", value=values["sub_event_type"] or "",
                      key=key("sub_event_type"))
        a1, a2 = st.columns(2)
        a1.text_input("Actor 1", value=values["actor1"] or "", key=key("actor1"))
        a2.text_input("Actor 2", value=values["actor2"] or "", key=key("actor2"))
        st.text_input("Place name", value=values["location"] or "", key=key("location"))
        lat, lon = st.columns(2)
        lat.number_input("Latitude", value=_float(values["latitude"]), format="%.5f", step=0.01,
                         key=key("latitude"), placeholder="degrees north")
        lon.number_input("Longitude", value=_float(values["longitude"]), format="%.5f", step=0.01,
                         key=key("longitude"), placeholder="degrees east")
        st.selectbox("Province", codes, index=codes.index(values["admin1_code"] or ""),
                     format_func=labels.__getitem__, key=key("admin1_code"),
                     help="Moving the point finds the country and province again from the "
                          "boundaries, unless you choose the province here.")
        st.selectbox("Place precision", [1, 2, 3],
                     index=values["geo_precision"] - 1 if values["geo_precision"] else None,
                     format_func=lambda p: f"{p} — {PRECISION_LABELS[p]}",
                     key=key("geo_precision"), placeholder="not known")
        d1, d2 = st.columns(2)
        d1.date_input("Start date", value=values["date_start"], min_value=earliest,
                      max_value=latest, format="YYYY-MM-DD", key=key("date_start"))
        d2.date_input("End date", value=values["date_end"], min_value=earliest,
                      max_value=latest, format="YYYY-MM-DD", key=key("date_end"))
        k, i, r = st.columns(3)
        for column, name, label in ((k, "killed_best", "Killed"), (i, "injured_best", "Injured"),
                                    (r, "arrested_best", "Arrested")):
            column.number_input(label, value=None if values[name] is None else int(values[name]),
                                min_value=0, step=1,
                                key=key(name), placeholder="unknown",
                                help="best estimate; its low–high range widens to hold it")
        st.text_area("Summary", value=values["summary"] or "", key=key("summary"), height=90)
        st.text_area("Notes", value=values["notes"] or "", key=key("notes"), height=68)
        st.text_input("Your name", value=st.session_state.get(ANALYST, ""), key=key("who"),
                      help="Required: kept with every change in the edit history "
                           "(remembered for this session).")
        if refused is not None:  # beside the buttons, where the analyst is looking
            _show(refused)
        save, review = st.columns(2)
        args = (path, incident, prefix, provinces)
        save.form_submit_button("Save", type="primary", on_click=_submitted,
                                args=args, kwargs={"action": "save"}, key=key("save"))
        review.form_submit_button("Mark reviewed", on_click=_submitted, args=args,
                                  kwargs={"action": "review"}, key=key("review"),
                                  disabled=incident.status == "reviewed",
                                  help="Confirm the record as it is (status reviewed)"
                                  if incident.status != "reviewed" else "Already reviewed")
        rejected = incident.status == REJECTED
        # on a row of its own: three buttons side by side cut their labels in the panel
        st.form_submit_button(
            "Restore" if rejected else "Not an incident", on_click=_submitted, args=args,
            kwargs={"action": "restore" if rejected else "reject"}, key=key("reject"),
            help="Put the incident back on the map, in the table and the downloads"
            if rejected else "Reject it (a generic statement, a misread sentence): kept with "
            "its history, left out of the map, the table and the downloads")


def _float(value: Any) -> float | None:
    # a whole-number coordinate read back as int would make the widget an integer input
    return None if value is None else float(value)


def _submitted(path: str, incident: Incident, prefix: str,
               provinces: Mapping[str, tuple[str, str]], *, action: str) -> None:
    """Submit callback (runs before the page's script): plan, save, leave the outcome."""
    state = st.session_state
    who = str(state.get(f"{prefix}_who") or "").strip()
    if who:
        state[ANALYST] = who
    submitted = {name: state.get(f"{prefix}_{name}") for name in corrections.FORM_FIELDS}
    submitted["admin1_code"] = submitted["admin1_code"] or None
    before = corrections.form_values(incident)
    state[OUTCOME] = _save(path, incident, submitted, before, provinces, who=who,
                           action=action)


#: The status each button but *Save* sets, and what its outcome says.
_STATUS_ACTIONS: dict[str, tuple[str, str, str]] = {
    "review": ("reviewed", "marked reviewed", "Marked reviewed by {who}."),
    "reject": (REJECTED, "rejected", "Rejected by {who}: kept with its history, and left out "
               "of the map, the table and the downloads (\"Restore\", under \"Correct this incident\", "
               "puts it back)."),
    "restore": ("edited", "restored", "Restored by {who}: back on the map (status edited)."),
}


def _save(path: str, incident: Incident, submitted: Mapping[str, Any],
          before: Mapping[str, Any], provinces: Mapping[str, tuple[str, str]], *, who: str,
          action: str = "save") -> Outcome:
    incident_id = incident.incident_id
    review = action in _STATUS_ACTIONS
    try:
        if review:
            status, verb, _ = _STATUS_ACTIONS[action]
            pending = corrections.plan(incident, submitted, provinces=provinces).edited
            if pending:
                return Outcome(incident_id, "warning", (
                    f"Not {verb}: the form has unsaved changes ("
                    + ", ".join(corrections.FIELD_LABELS[f] for f in pending)
                    + "). Save them, or undo them, then try again."))
            correction = corrections.Correction({"status": status}, ("status",))
        else:
            correction = corrections.plan(incident, submitted, provinces=provinces)
            if not correction.changes:
                return Outcome(incident_id, "info", "Nothing to save: no field was changed.")
        stamp = data.store_stamp(Path(path))
        saved = corrections.save_correction(
            path, incident_id, correction, who=who,
            expected={**before, "status": incident.status})
    except (DashboardError, IncidentsError) as exc:
        return Outcome(incident_id, "error", f"Not saved: {exc}")
    if data.store_stamp(Path(path)) == stamp:  # a coarse file clock: drop the caches instead
        data.forget_store()
    if review:
        return Outcome(incident_id, "success", _STATUS_ACTIONS[action][2].format(who=who))
    lines = corrections.change_lines(before, correction)
    if correction.rejoined:
        loc = saved.location
        lines.append("province found again from the point: " + (
            f"{loc.admin1} ({loc.admin1_code}), {loc.country}" if loc and loc.admin1_code
            else "none (outside the bundled provinces)"))
    return Outcome(incident_id, "success",
                   f"Saved by {who}: " + "; ".join(lines) + f". Status: {saved.status}.")


#: Session key of the last merge's outcome (shown in the merge form).
MERGE_OUTCOME = "atlas_merge_outcome"


def merge_form(path: str, stamp: data.StoreStamp, incident: Incident) -> None:
    """The "Merge a duplicate into this incident" expander: the incidents that may report the
    same event (same type, within 50 km and 7 days), or any id, merged into this one."""
    outcome: Outcome | None = st.session_state.get(MERGE_OUTCOME)
    if outcome is not None and outcome.incident_id != incident.incident_id:
        del st.session_state[MERGE_OUTCOME]
        outcome = None
    if outcome is not None and outcome.level == "success":
        _show(outcome)
    with st.expander("Merge a duplicate into this incident", icon=":material/merge:",
                     expanded=outcome is not None and outcome.level != "success"):
        problem = corrections.write_problem(path)
        if problem:
            st.warning(markdown_text(problem))
            return
        table, _ = data.incidents_table(Path(path))
        dupes = corrections.likely_duplicates(table, incident)
        labels = {"": "— choose —"}
        for row in dupes.itertuples(index=False):
            when = row.date_start.strftime("%Y-%m-%d") if pd.notna(row.date_start) else "no date"
            killed = f"{int(row.fatalities):,} killed · " if pd.notna(row.fatalities) else ""
            labels[row.incident_id] = (f"{when} · {row.location or 'no place name'} · {killed}"
                                       f"{row.distance_km:.0f} km away · {row.incident_id}")
        digest = hashlib.sha256(repr((incident.incident_id, incident.article_ids,
                                      incident.status)).encode()).hexdigest()[:12]
        prefix = f"merge_{digest}"
        with st.form(f"{prefix}_form", border=False, enter_to_submit=False):
            st.caption("When two incidents are reports of one event that linking did not join, "
                       "merge the other into this one: its articles, evidence and counts join "
                       "this incident, and it is removed. The edit history keeps both records; "
                       "`incident-atlas unlink` splits an article off again.")
            st.selectbox(f"Likely duplicates ({len(dupes)}: same event type, within "
                         f"{corrections.DUPLICATE_KM:.0f} km and {corrections.DUPLICATE_DAYS} "
                         "days)", list(labels), format_func=labels.__getitem__,
                         key=f"{prefix}_choice")
            st.text_input("or the id of any incident", key=f"{prefix}_typed",
                          placeholder="e.g. 62caf90ec320091c")
            st.text_input("Your name", value=st.session_state.get(ANALYST, ""),
                          key=f"{prefix}_who", help="Required: kept with the merge in the "
                          "edit history (remembered for this session).")
            if outcome is not None and outcome.level != "success":
                _show(outcome)
            st.form_submit_button("Merge into this incident", on_click=_merge_submitted,
                                  args=(path, incident.incident_id, prefix))


def _merge_submitted(path: str, keep_id: str, prefix: str) -> None:
    """Submit callback of :func:`merge_form` (runs before the page's script)."""
    state = st.session_state
    who = str(state.get(f"{prefix}_who") or "").strip()
    if who:
        state[ANALYST] = who
    other = str(state.get(f"{prefix}_typed") or "").strip() or state.get(f"{prefix}_choice")
    if not other:
        state[MERGE_OUTCOME] = Outcome(keep_id, "warning", "Choose an incident to merge into "
                                       "this one, or type its id; nothing was merged.")
        return
    try:
        stamp = data.store_stamp(Path(path))
        kept = corrections.save_merge(path, keep_id, other, who=who)
    except (DashboardError, IncidentsError) as exc:
        state[MERGE_OUTCOME] = Outcome(keep_id, "error", f"Not merged: {exc}")
        return
    if data.store_stamp(Path(path)) == stamp:  # a coarse file clock: drop the caches instead
        data.forget_store()
    count = len(kept.article_ids)
    state[MERGE_OUTCOME] = Outcome(keep_id, "success", (
        f"Merged incident {other} into this one ({who}): {count} "
        f"article{'s' if count != 1 else ''} now report it."))
