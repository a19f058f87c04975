"""The answers: the actuals workbook users fill, and the reading of each 实际完成值."""
