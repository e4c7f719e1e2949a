"""Field tables of every query resource, one module per resource."""
