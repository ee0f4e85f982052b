"""Streamlit-only helpers shared by the pages: filters, the page frame, cached queries."""
