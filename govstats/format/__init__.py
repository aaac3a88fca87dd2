"""The national format as data: ``national_format.toml`` (codes, printed labels, label variants,
section headings, identities) and its loader. Every stage asks here; nothing types a label twice."""

from govstats.format.spec import (
    TABLES,
    TEMPLATES,
    ColumnSpec,
    FigureRule,
    Identity,
    NarrativeRules,
    NationalFormat,
    RowSpec,
    SectionSpec,
    TableSpec,
    national_format,
)

__all__ = ["TABLES", "TEMPLATES", "ColumnSpec", "FigureRule", "Identity", "NarrativeRules", "NationalFormat", "RowSpec", "SectionSpec", "TableSpec",
           "national_format"]
