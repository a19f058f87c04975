"""What the run writes: the audit workbook, the JSON document, the CSV detail, and the actuals template."""
