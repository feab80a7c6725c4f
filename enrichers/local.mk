# rules for enrichers
