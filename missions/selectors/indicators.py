"""Indicators computed from the missions data (see cpts/indicator_registry.py): each one a few SQL
aggregates over a period (first and last day included)."""

from __future__ import annotations
