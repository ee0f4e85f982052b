"""The Aanleveren page's steps: upload, dry run, save or cancel, history and undo.

The work is etl/upload.py's; this module keeps the steward's session (what was staged, the
dry run) and shows each step. Everything from the files (names, values, reasons) is data:
shown in tables or through markdown_literal, never as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import access, layout
from einclusie.exports.tables import csv_bytes
from einclusie.figures.db import NoDataError, current_version
from einclusie.figures.selection import source_label
from einclusie.format import format_number, markdown_literal, month_name
from einclusie.settings import settings
from etl import upload
from etl.load import LoadReport
from etl.register import ReferenceDataError
from etl.sources import SOURCES
from etl.validation import SuiteError

# What a load can refuse with a sentence of its own (a broken register or suite, the disk).
LOAD_PROBLEMS = (ReferenceDataError, SuiteError, OSError, RuntimeError)
SELECTION = "aanlevering_keuze"  # the uploader's files and sources, and the loaded version
STATE = "aanlevering"  # st.session_state: {"staged", "originals", "report"} of the dry run
ROUND = "aanlevering_ronde"  # a new uploader after saving or cancelling (an empty one)


ASKED = "aanlevering_gevraagd"  # the button clicked, until the run that acts on it


def _ask(action: str) -> None:
    st.session_state[ASKED] = action


def _button(label: str, action: str, **options: object) -> bool:
    """A button whose click survives a rerun before the page gets to it (a first visit by
    link reruns once: layout._ensure_navigation): its callback notes the click, which the
    run that reaches the button takes."""
    st.button(label, on_click=_ask, args=(action,), **options)
    if st.session_state.get(ASKED) == action:
        del st.session_state[ASKED]
        return True
    return False


def _folders() -> tuple[Path, Path, Path]:
    config = settings()
    return config.raw_dir, config.reference_dir, config.data_dir


def _progress(bar: DeltaGenerator) -> Callable[[int, int, str], None]:
    def step(done: int, total: int, name: str) -> None:
        text = f"{done} van {total} bestanden gelezen" if total else "bezig"
        bar.progress(min(done / total, 1.0) if total else 0.0, text=text)

    return step


def upload_step() -> None:
    """Step 1 and 2: the files, their checks and, on request, the dry run."""
    config = settings()
    limit = format_number(config.upload_bytes / 1e6)
    st.markdown(
        "Sleep de CSV-exports van een dienst hierheen, of kies ze. De bron wordt herkend aan de "
        f"kolommen; een bestand mag hoogstens {limit} MB zijn. Er wordt niets bewaard voor je "
        "op **Opslaan** klikt."
    )
    files = st.file_uploader(
        "CSV-bestanden",
        accept_multiple_files=True,
        key=f"bestanden-{st.session_state.get(ROUND, 0)}",
        label_visibility="collapsed",
    )
    _, _, out = _folders()
    # What a dry run is for: these files, these sources, this loaded version. Another
    # selection (a file removed, another source, a load since) makes it worthless.
    chosen = {f.file_id: st.session_state.get(f"bron-{f.file_id}") for f in files or []}
    st.session_state[SELECTION] = (tuple(sorted(chosen.items())), upload.loaded_version(out))
    if not files:
        return
    checked = []
    for file in files:
        result = upload.check(
            file.name, file.getvalue(), config.upload_bytes, source=chosen[file.file_id]
        )
        if len(result.candidates) > 1:  # drawn also once chosen, so the choice stays
            st.selectbox(
                f"Van welke bron is {markdown_literal(file.name)}?",
                result.candidates,
                format_func=source_label,
                index=None,
                placeholder="Kies de bron",
                key=f"bron-{file.file_id}",
            )
        checked.append(result)
    layout.static_table(_checks_table(checked))
    accepted = [c for c in checked if c.accepted]
    waiting = [c for c in checked if not c.accepted and not c.refusal]
    if waiting:
        st.info("Kies eerst de bron van elk bestand hierboven.", icon=":material/help:")
        return
    if not accepted:
        st.error(
            "Geen enkel bestand kan geladen worden; verbeter ze en probeer opnieuw.",
            icon=":material/block:",
        )
        return
    if _button("Proeflading", "proef", type="primary", icon=":material/fact_check:"):
        _discard()
        raw, reference, out = _folders()
        staged, originals = upload.stage(accepted, raw)
        bar = st.progress(0.0, text="Proeflading bezig")
        try:
            report = upload.try_upload(staged, raw, reference, out, progress=_progress(bar))
        except LOAD_PROBLEMS as problem:
            upload.discard(staged)
            bar.empty()
            st.error(
                f"De proeflading kon niet gemaakt worden: {markdown_literal(problem)}",
                icon=":material/block:",
            )
            return
        except BaseException:  # a rerun or a closed tab mid-way: nothing stays in staging
            upload.discard(staged)
            raise
        bar.empty()
        st.session_state[STATE] = {
            "staged": staged,
            "originals": originals,
            "report": report,
            "selection": st.session_state[SELECTION],
        }


def _checks_table(checked: list[upload.Checked]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Bestand": [c.name for c in checked],
            "Bron": [source_label(c.source) if c.source else "–" for c in checked],
            "Rijen": [format_number(c.rows) if c.accepted else "–" for c in checked],
            "Nagekeken": [
                "in orde"
                if c.accepted
                else (f"geweigerd: {c.refusal}" if c.refusal else "kies de bron")
                for c in checked
            ],
        }
    )


def dry_run_step() -> None:
    """Step 2's result and step 3: what would load and change; Opslaan or Annuleren."""
    state = st.session_state.get(STATE)
    if not state:
        return
    if state["selection"] != st.session_state.get(SELECTION):
        _discard()  # the files, their sources or the loaded data changed since
        return
    report: LoadReport = state["report"]
    originals: dict[str, str] = state["originals"]
    st.subheader("Wat de lading zou doen")
    load_warnings(report.warnings)
    shown_files(report, originals)
    quarantine(report, originals)
    figures_table(report)
    save, cancel = st.columns(2)
    with save:
        saving = _button(
            "Opslaan", "opslaan", type="primary", icon=":material/save:", width="stretch"
        )
    with cancel:
        cancelling = _button("Annuleren", "annuleren", icon=":material/close:", width="stretch")
    if saving:
        raw, reference, out = _folders()
        done = _stored(
            "Opslaan",
            lambda: upload.save(
                state["staged"],
                originals,
                raw,
                reference,
                out,
                access.viewer().who,
                tried_on=state["selection"][1],
            ),
        )
        if done is None:
            return
        st.session_state.pop(STATE, None)
        _next_round()
        st.session_state["aanlevering_opgeslagen"] = (done.run, done.warnings)
        st.rerun()
    if cancelling:
        _discard()
        _next_round()
        st.rerun()


def _stored(what: str, step: Callable[[], LoadReport]) -> LoadReport | None:
    """Run a step that stores (Opslaan, Terugzetten) and loads; None, with the reason said,
    when another steward holds the load or the load refused. No progress bar: a click on the
    page while it runs would stop the step half-way."""
    try:
        with st.spinner(f"{what} en laden ..."):
            return step()
    except upload.UploadBusy as busy:
        st.warning(markdown_literal(busy), icon=":material/hourglass_top:")
    except LOAD_PROBLEMS as problem:
        st.error(
            f"{what} is niet gelukt, er is niets gewijzigd: {markdown_literal(problem)}",
            icon=":material/block:",
        )
    return None


def load_warnings(warnings: list[str]) -> None:
    """What the load says besides its files: a save or undo that a crash stopped and what
    became of it (etl/journal.py), files or folders it skipped."""
    for warning in warnings:
        st.warning(markdown_literal(warning), icon=":material/warning:")


def saved_notice() -> None:
    """After Opslaan: which load it became, and its figures (the Overzicht shows them too)."""
    saved = st.session_state.pop("aanlevering_opgeslagen", None)
    if saved is not None:
        run, warnings = saved
        load_warnings(warnings)
        st.success(
            f"Opgeslagen en geladen als lading {run}. De nieuwe cijfers staan op elke pagina; "
            "wat er in de kerncijfers wijzigde staat hieronder bij de geschiedenis.",
            icon=":material/check_circle:",
        )


def _next_round() -> None:
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1


def _discard() -> None:
    state = st.session_state.pop(STATE, None)
    if state:
        upload.discard(state["staged"])


def shown_files(report: LoadReport, originals: dict[str, str]) -> None:
    found = report.changes
    if not report.changed or found is None or found.nothing:
        st.info(
            "Deze bestanden wijzigen niets: de cijfers blijven dezelfde als na de laatste lading.",
            icon=":material/info:",
        )
        return
    states = dict(zip(found.files["bestand"], found.files["toestand"], strict=True))
    rows = found.rows.set_index("bestand") if not found.rows.empty else None
    table = []
    for f in report.files:
        if f.bestand not in states:
            continue
        counted = rows.loc[f.bestand] if rows is not None and f.bestand in rows.index else None
        table.append(
            {
                "Bestand": originals.get(f.bestand, f.bestand),
                "Wordt bewaard als": f.bestand,
                "Gelezen": format_number(f.rijen_gelezen),
                "Zou laden": format_number(f.rijen_geladen) if f.status == "geladen" else "–",
                "Nieuw": format_number(int(counted["nieuw"])) if counted is not None else "–",
                "Vervangt een eerdere rij": format_number(int(counted["vervangt"]))
                if counted is not None
                else "–",
                "Quarantaine": format_number(f.rijen_quarantaine),
                "Opmerking": f.melding if f.status == "geweigerd" else "",
            }
        )
    for name, state in states.items():
        if state == "verwijderd":  # taken out of the raw folder by hand since the last load
            table.append(
                {
                    "Bestand": name,
                    "Wordt bewaard als": "–",
                    **dict.fromkeys(("Gelezen", "Zou laden", "Nieuw"), "–"),
                    "Vervangt een eerdere rij": "–",
                    "Quarantaine": "–",
                    "Opmerking": "niet meer in de map met exports: de rijen ervan tellen niet "
                    "meer mee",
                }
            )
    layout.static_table(pd.DataFrame(table))


def quarantine(report: LoadReport, originals: dict[str, str]) -> None:
    rows = report.quarantine
    if rows is None or rows.empty:
        st.success("Geen enkele rij zou in quarantaine gaan.", icon=":material/check_circle:")
        return
    st.markdown(
        f"**{format_number(len(rows))} rijen zouden in quarantaine gaan** (niet geteld). "
        "De rij is die van Excel (de kopregel is rij 1)."
    )
    for name, group in rows.groupby("bestand", sort=False):
        source = SOURCES[str(group["bron"].iloc[0])]
        columns = list(source.columns)
        shown = group[["rij", "reden", *columns]].rename(
            columns={"rij": "Rij", "reden": "Wat te verbeteren"}
        )
        original = originals.get(str(name), str(name))
        st.caption(markdown_literal(original))
        layout.static_table(shown.head(50).fillna(""))
        export = group[[*columns, "rij", "reden"]].rename(
            columns={"rij": "rij_in_bestand", "reden": "reden"}
        )
        access.download_button(
            "Deze rijen downloaden (CSV)",
            csv_bytes(export.fillna("")),
            what=f"Quarantaine van de proeflading ({original})",
            file_name=f"quarantaine_{Path(str(name)).stem}.csv",
            mime="text/csv",
            key=f"proef-quarantaine-{name}",
            icon=":material/download:",
            on_click="ignore",
        )


def figures_table(report: LoadReport) -> None:
    found = report.changes
    if found is None or found.figures.empty:
        st.info("Geen kerncijfer zou wijzigen.", icon=":material/info:")
        return
    st.markdown("**Kerncijfers die zouden wijzigen** (per maand, alleen waar ze wijzigen)")
    layout.static_table(change_table(found.figures))


def change_table(figures: pd.DataFrame) -> pd.DataFrame:
    months = pd.to_datetime(figures["maand"])
    difference = figures["straks"] - figures["nu"]
    return pd.DataFrame(
        {
            "Kerncijfer": figures["label"],
            "Maand": [f"{month_name(m.month)} {m.year}" for m in months],
            "Nu": figures["nu"].map(format_number),
            "Na de lading": figures["straks"].map(format_number),
            "Verschil": [("+" if d > 0 else "") + format_number(int(d)) for d in difference],
        }
    )


def history_step() -> None:
    """Step 4: every load (who, when, which files, what changed), and undoing an upload."""
    _, _, out = _folders()
    st.subheader("Geschiedenis van de ladingen")
    try:
        version = current_version(out)
    except NoDataError:
        st.info("Er is nog niets geladen.", icon=":material/info:")
        return
    loads, changes = _history_tables(str(out), str(version))
    layout.static_table(loads)
    for run, table in changes:
        _changes_of(run, table)
    _undo_step(out)


def changes_key(run: int) -> str:
    """The key of the expander with what load `run` changed: True while it is open."""
    return f"lading_{run}"


@st.fragment
def _changes_of(run: int, table: pd.DataFrame) -> None:
    # Drawn only while open (opening reruns this fragment alone): a full load changes every
    # figure of every month, hundreds of rows that took the browser 1,5 s in five expanders.
    box = st.expander(f"Wat lading {run} wijzigde", key=changes_key(run), on_change="rerun")
    if box.open:
        with box:
            layout.static_table(table)


@st.cache_data(show_spinner=False, max_entries=4)
def _history_tables(out: str, version: str) -> tuple[pd.DataFrame, list[tuple[int, pd.DataFrame]]]:
    # Per loaded version (a load makes a new one): the history only grows with a load, and
    # formatting its figure changes cell by cell was most of the page's run.
    return history_tables(Path(out))


def history_tables(out: Path) -> tuple[pd.DataFrame, list[tuple[int, pd.DataFrame]]]:
    """The table of every load, and what the newest five that changed figures changed."""
    loads = upload.history(out)
    table = pd.DataFrame(
        {
            "Lading": loads["run"].map(str),
            "Wanneer": [_when(t) for t in loads["gestart"]],
            "Door": loads["door"].replace("", "–"),
            "Nieuwe bestanden": ["\n".join(n) or "–" for n in loads["bestanden"]],
            "Kerncijfers gewijzigd": [
                format_number(n) + " per maand" if n else "–" for n in loads["wijzigingen"]
            ],
            "Teruggezet": [
                "ja" if u else (f"zet lading {int(b)} terug" if pd.notna(b) else "")
                for u, b in zip(loads["teruggezet"], loads["zet_terug"], strict=True)
            ],
        }
    )
    changes = [
        (int(run), change_table(upload.figure_changes(out, int(run))))
        for run in loads.loc[loads["wijzigingen"] > 0, "run"].head(5)
    ]
    return table, changes


def _undo_step(out: Path) -> None:
    found = upload.uploads(out)
    open_ = found[~found["teruggezet"]] if not found.empty else found
    if open_.empty:
        return
    st.markdown("**Een aanlevering terugzetten**")
    run = st.selectbox(
        "Welke aanlevering?",
        open_["run"].tolist(),
        format_func=lambda r: (
            f"lading {r}: " + ", ".join(open_.loc[open_["run"] == r, "namen"].iloc[0])
        ),
        index=None,
        placeholder="Kies een aanlevering",
        key="terugzetten_run",
    )
    if run is None:
        return
    reason = st.text_input("Waarom?", key="terugzetten_reden", placeholder="bv. verkeerde maand")
    raw, reference, _ = _folders()
    preview_key = f"terugzetten_proef_{run}"
    now = upload.loaded_version(out)
    if _button("Bekijk wat terugzetten wijzigt", "proef_terug", icon=":material/compare_arrows:"):
        try:
            st.session_state[preview_key] = (now, upload.try_undo(int(run), raw, reference, out))
        except LOAD_PROBLEMS as problem:
            st.error(markdown_literal(problem), icon=":material/block:")
            return
    stored = st.session_state.get(preview_key)
    if stored is None or stored[0] != now:  # none yet, or a load came since
        return
    figures_table(stored[1])
    if _button("Terugzetten", "terug", type="primary", icon=":material/undo:", disabled=not reason):
        done = _stored(
            "Terugzetten",
            lambda: upload.undo(int(run), reason, raw, reference, out, access.viewer().who),
        )
        if done is None:
            return
        st.session_state.pop(preview_key, None)
        st.session_state["aanlevering_teruggezet"] = (int(run), done.run)
        st.rerun()
    if not reason:
        st.caption("Geef eerst een reden; die wordt bij de bestanden in het archief bewaard.")


def undone_notice() -> None:
    undone = st.session_state.pop("aanlevering_teruggezet", None)
    if undone is not None:
        st.success(
            f"Lading {undone[0]} is teruggezet (lading {undone[1]}); de bestanden staan in het "
            "archief, met de reden.",
            icon=":material/check_circle:",
        )


def _when(value: object) -> str:
    try:
        return pd.Timestamp(str(value)).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return str(value)
