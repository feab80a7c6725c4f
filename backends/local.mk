# rules for backends
