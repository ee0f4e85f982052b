"""Queries, KPI definitions and formatting shared by the dashboard pages and the commands."""
