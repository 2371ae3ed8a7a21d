"""CSL-YAML: pandoc's ``references:`` YAML, the CSL-JSON items written as YAML."""
