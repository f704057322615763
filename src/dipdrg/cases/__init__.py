"""Settlement lists (医保结算清单): field registry, import and per-case access."""
