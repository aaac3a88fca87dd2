"""The small tables of the dataset from every file's report: its versions (canonical reports and
copies) with reading counts, places and agency keys; the copy_disagrees findings; then reports,
copies and findings with place and across-year findings and the counts of errors and warnings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from govstats.corpus import store
from govstats.corpus.copies import CHECKS as COPY_CHECKS
from govstats.corpus.copies import copies_of, disagreements
from govstats.corpus.flow import Read, concat, keep
from govstats.corpus.jumps import CHECKS as JUMP_CHECKS
from govstats.corpus.jumps import WATCHED, jumps
from govstats.corpus.places import CHECKS as PLACE_CHECKS
from govstats.corpus.places import place
from govstats.corpus.quality import quality
from govstats.corpus.scan import shown
from govstats.corpus.schema import COPIES_SCHEMA, PLACE_COLUMNS, QUALITY_SCHEMA, REPORTS_SCHEMA, WORKER_SCHEMAS
from govstats.corpus.similarity import CHECKS as SIMILAR_CHECKS
from govstats.corpus.similarity import similar, similar_findings
from govstats.corpus.timeliness import CHECKS as LATE_CHECKS
from govstats.corpus.timeliness import iso_date, late_findings, lateness
from govstats.corpus.years import CHECKS as YEAR_CHECKS
from govstats.corpus.years import KEY, pairs, year_findings

# Findings made from the whole corpus, not from a file's own bytes: made again on every run.
DERIVED_CHECKS = (frozenset(YEAR_CHECKS) | frozenset(PLACE_CHECKS) | frozenset(COPY_CHECKS)
                  | frozenset(SIMILAR_CHECKS) | frozenset(LATE_CHECKS) | frozenset(JUMP_CHECKS))
KEPT = ("parsed", "copy")  # ledger statuses of files whose report is known


def own_id(row) -> str:
    """The id of the report read from a ledger row's bytes (a copy's row names its canonical report)."""
    return row.sha256[:16]


def _counts(findings: pa.Table | None) -> pd.DataFrame:
    """Errors and warnings per report among reading findings (what a file's own bytes gave)."""
    if findings is None or not findings.num_rows:
        return pd.DataFrame(columns=["read_errors", "read_warnings"], index=pd.Index([], name="report_id"))
    f = findings.select(["report_id", "check", "severity"]).to_pandas()
    f = f[~f["check"].isin(DERIVED_CHECKS)]
    n = pd.crosstab(f["report_id"], f["severity"])
    return pd.DataFrame({"read_errors": n.get("error", 0), "read_warnings": n.get("warning", 0)}, index=n.index)


def all_versions(old: dict, ledger: dict, read: Read, fresh: set[str],
                 where: Callable[[str], tuple[tuple[str, ...], dict]]) -> pd.DataFrame:
    """Every file's report, canonical or copy, with its reading counts, path, place and agency key.

    A report read in this run, or in ``fresh`` (its file moved, or the catalogs of its root or the code
    of places changed), is placed again from ``where(path)`` (folders and catalog row); the others keep
    the place stored with them, so a rerun does not place what it placed before, and files of roots
    not scanned keep theirs. Place findings are those stored with canonical reports; a copy's are
    made when it becomes canonical (`late_place_findings`)."""
    paths = {own_id(r): p for p, r in ledger.items() if r.status in KEPT}
    mapper = {pa.int64(): pd.Int64Dtype()}.get
    stored_ids = set(paths) - read.ids
    columns = [*WORKER_SCHEMAS["reports"].names, *PLACE_COLUMNS, "agency_key"]
    stored = [keep(old[n], stored_ids) for n in ("reports", "copies")]
    frames = [concat(WORKER_SCHEMAS["reports"], read.reports).to_pandas(types_mapper=mapper)]
    frames += [t.select(columns).to_pandas(types_mapper=mapper) for t in stored if t is not None and t.num_rows]
    v = pd.concat(frames, ignore_index=True).reindex(columns=columns)
    v = v[v["report_id"].isin(paths.keys())].reset_index(drop=True)
    counts = pd.concat([_counts(concat(WORKER_SCHEMAS["findings"], read.findings)), _counts(old["findings"])])
    if stored[1] is not None and stored[1].num_rows:
        c = stored[1].select(["report_id", "n_errors", "n_warnings"]).to_pandas().set_index("report_id")
        counts = pd.concat([counts, c.rename(columns={"n_errors": "read_errors", "n_warnings": "read_warnings"})])
    counts = counts[~counts.index.duplicated()]
    v = v.join(counts, on="report_id")
    v[["read_errors", "read_warnings"]] = v[["read_errors", "read_warnings"]].fillna(0).astype("int64")
    files = [paths[r] for r in v["report_id"]]  # as the file system gives them: not always UTF-8
    v["_file"] = pd.Series(files, index=v.index, dtype=object)
    v["source_path"] = pd.array([shown(f) for f in files], dtype="str")
    again = (v["report_id"].isin(read.ids) | v["report_id"].isin(fresh)).to_numpy()
    names = (*PLACE_COLUMNS, "agency_key")
    values = {c: v[c].to_numpy(dtype=object, copy=True) for c in names}  # filled in place, then stored once
    published = v["published"].to_numpy(dtype=object, copy=True)
    canonical_before = set(stored[0]["report_id"].to_pylist()) if stored[0] is not None else set()
    found = _place_findings(old["findings"], canonical_before)
    findings = [found.get(r, ()) if r in canonical_before else None for r in v["report_id"]]
    for i, a, t, f in zip(v.index[again], v.loc[again, "agency"], v.loc[again, "title"], v.loc[again, "_file"],
                          strict=True):
        a, t = (x if isinstance(x, str) else None for x in (a, t))  # a report without agency or title: NA
        folders, catalog = where(f)
        p = place(a, t, folders, catalog)  # one at a time: a national corpus does not hold a million Place objects
        for c in names:
            values[c][i] = getattr(p, c)
        published[i] = iso_date(catalog.get("published")) or published[i]  # the catalog knows best
        findings[i] = p.findings or ()
    for c in names:
        v[c] = pd.array(values[c], dtype="str")
    v["published"] = pd.array(published, dtype="str")
    v["_place_findings"] = pd.Series(findings, index=v.index, dtype=object)
    return v


def _place_findings(findings: pa.Table | None, ids: set[str]) -> dict[str, list[tuple[str, str, str]]]:
    """(check, severity, message) of the place findings stored with each of ``ids`` (canonical reports)."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    if findings is None or not ids:
        return found
    f = findings.filter(pc.is_in(findings["check"], value_set=pa.array(sorted(PLACE_CHECKS))))
    f = keep(f, ids)
    for rid, check, severity, message in zip(*(f[c].to_pylist() for c in ("report_id", "check", "severity", "message")),
                                             strict=True):
        found.setdefault(rid, []).append((check, severity, message))
    return found


def late_place_findings(versions: pd.DataFrame, canon: pd.Series,
                        where: Callable[[str], tuple[tuple[str, ...], dict]]) -> None:
    """The place findings of canonical reports that were copies in the last run (a copy's are not stored)."""
    canonical = set(canon[canon.index == canon.to_numpy()].index)
    todo = versions.index[versions["_place_findings"].isna() & versions["report_id"].isin(canonical)]
    for i in todo:
        row = versions.loc[i]
        versions.at[i, "_place_findings"] = place(row["agency"], row["title"], *where(row["_file"])).findings


def disagreeing_copies(canon: pd.Series, touched: set[str], paths: dict[str, str], old: dict, base: Path,
                       scratch: store.Scratch, read_ids: set[str]) -> list[dict]:
    """copy_disagrees findings: kept from the last run for reports whose files are the same, else compared."""
    groups = {c: ks for c, ks in copies_of(canon).items() if c in touched}
    kept = []
    if old["findings"] is not None:
        f = old["findings"].filter(pc.equal(old["findings"]["check"], "copy_disagrees")).to_pylist()
        kept = [r for r in f if r["report_id"] not in touched and r["report_id"] in canon.index
                and canon[r["report_id"]] == r["report_id"]]

    def cells_of(ids: list[str]) -> pd.DataFrame:
        cols = ["report_id", "table", "row", "column", "value"]
        here, there = sorted(set(ids) & read_ids), sorted(set(ids) - read_ids)
        parts = [scratch.read("cells", columns=cols, filters=[("report_id", "in", here)]) if here else None,
                 store.read(base, "cells", columns=cols, filters=[("report_id", "in", there)]) if there else None]
        return concat(pa.schema([WORKER_SCHEMAS["cells"].field(c) for c in cols]), parts).to_pandas()

    return kept + disagreements(groups, paths, cells_of) if groups else kept


def _watched(carry: pd.DataFrame, stock: pd.DataFrame) -> pd.DataFrame:
    """The cells followed from year to year (jumps.WATCHED), long: report_id, table, row, column, value.

    Only those cells are made long: every column of every carried row would be ~40 rows per report,
    the largest frame of an ingest's main process."""
    keys = pd.DataFrame(WATCHED, columns=["table", "row", "column"])
    app_keys = keys[keys["table"] == "applications"]
    apps = carry.loc[carry["row"].isin(app_keys["row"]), ["report_id", "row", *app_keys["column"].unique()]]
    apps = apps.melt(id_vars=["report_id", "row"], var_name="column", value_name="value").assign(table="applications")
    stock = stock[stock["row"].isin(keys["row"]) & stock["column"].isin(keys["column"])].assign(table="disclosure")
    values = pd.concat([apps, stock], ignore_index=True)  # narrowed to the watched cells by `jumps` itself
    return values[["report_id", "table", "row", "column", "value"]].astype({"value": "float64"})


def _quality_findings(reports: pd.DataFrame, consecutive: pd.DataFrame, signatures: pa.Table, carry: pd.DataFrame,
                      stock: pd.DataFrame) -> tuple[list[dict], pd.DataFrame, pd.DataFrame]:
    """Copied text, late publication and year-on-year jumps (issue 14), with the similar pairs and
    lateness the quality table needs. Synthetic reports are not compared for copied text: their
    narratives are the generator's stock wording (and their signatures never become Python objects)."""
    consecutive = consecutive[consecutive["prev_id"].notna()]
    real = reports[~reports["synthetic"].astype(bool)][["report_id", "year", "agency_key", "agency"]]
    sig = real.merge(keep(signatures, real["report_id"]).to_pandas(), on="report_id", how="left")
    sig["signature"] = sig["signature"].map(lambda s: s if hasattr(s, "__len__") else None)  # NaN: no signature
    found = similar(sig, pairs=consecutive)
    late = lateness(reports[["report_id", "year", "level", "published"]])
    names = dict(zip(reports["report_id"], reports["agency"].fillna(""), strict=True))
    moved = jumps(consecutive[["report_id", "prev_id"]], _watched(carry, stock))  # the ids only: merged per cell
    out = similar_findings(found, names) + late_findings(late) + moved
    return out, found, late


def finish(versions: pd.DataFrame, canon: pd.Series, reading: list[pa.Table | None], copy_findings: list[dict],
           carry: pd.DataFrame, stock: pd.DataFrame, signatures: pa.Table) -> dict[str, pa.Table]:
    """reports, copies, findings and quality: places, agency keys, across-year, copy and quality
    findings, finding counts, and the quality table (govstats.corpus.quality)."""
    v = versions.assign(copy_of=versions["report_id"].map(canon))
    is_canonical = v["copy_of"] == v["report_id"]
    reports, copies = v[is_canonical], v[~is_canonical]
    place_findings = [{"report_id": rid, "check": check, "severity": severity, "table": "", "row": "", "column": "",
                       "expected": None, "printed": None, "message": message}
                      for rid, found in zip(reports["report_id"], reports["_place_findings"], strict=True)
                      for check, severity, message in found]
    frame = reports[["report_id", "year", "status", "source_path", *KEY]]
    consecutive = pairs(frame)  # each agency's years in order: the across-year and the quality checks both need them
    audit, found, late = _quality_findings(reports, consecutive, signatures, carry, stock)
    extra = place_findings + year_findings(frame, carry, stock, consecutive) + copy_findings + audit
    schema = WORKER_SCHEMAS["findings"]
    findings = pa.concat_tables([concat(schema, reading), pa.Table.from_pylist(extra, schema=schema)])
    findings = findings.take(pc.sort_indices(findings, [("report_id", "ascending"), ("check", "ascending")]))
    n = findings.group_by(["report_id", "severity"]).aggregate([([], "count_all")]).to_pandas()
    n = n.pivot(index="report_id", columns="severity", values="count_all")
    reports = reports.assign(**{f"n_{s}s": reports["report_id"].map(n.get(s, {})).fillna(0).astype("int64")
                                for s in ("error", "warning")})
    copies = copies.assign(n_errors=copies["read_errors"], n_warnings=copies["read_warnings"])

    def table(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
        frame = frame[schema.names].sort_values("source_path", kind="stable")  # only its columns are copied
        return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)

    q = quality(reports[["report_id", "status", "parts"]], findings.select(["report_id", "check", "severity"]).to_pandas(),
                similar=found, lateness=late)
    return {"reports": table(reports, REPORTS_SCHEMA), "copies": table(copies, COPIES_SCHEMA), "findings": findings,
            "quality": pa.Table.from_pandas(q, schema=QUALITY_SCHEMA, preserve_index=False)}
