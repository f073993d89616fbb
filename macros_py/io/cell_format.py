"""Number formats of the master's cells, shared by the workbook builder and the XML writer."""

FORMAT_WAKTU = "dd-mm-yyyy hh:mm"
FORMAT_TANGGAL = "dd-mm-yyyy"
FORMAT_ANGKA = "#,##0.##"
