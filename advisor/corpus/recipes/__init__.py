"""The recipe records, one module per area (each exports ``RECIPES``)."""
