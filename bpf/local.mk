# rules for bpf
