"""The static HTML report: `recoupe.report.html.write_report(corpus, out_dir, language=...)`."""
