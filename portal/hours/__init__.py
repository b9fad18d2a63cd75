"""The hours ledger (design.md, section 2): the one place hours are counted, from times marked as
attended and approved hour entries, by person, organisation, category and period. "Min side",
companies, awards, certificates and dashboards read it; none counts hours its own way."""
