"""Aanleveren: a data steward sends in exports, sees what would change, saves or undoes."""

from dashboard import aanlevering, layout
from einclusie.access import Role

layout.tool_page("Exports aanleveren", role=Role.DATABEHEERDER)
aanlevering.saved_notice()
aanlevering.undone_notice()
aanlevering.upload_step()
aanlevering.dry_run_step()
aanlevering.history_step()
