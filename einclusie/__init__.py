"""The e-inclusie figures: data and figures, charts, exports, the command line."""
