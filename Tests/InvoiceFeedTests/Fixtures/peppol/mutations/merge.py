#!/usr/bin/env python3
"""Joins generate.py's list (OUT/variants.json) with oracle.py's verdicts into expected.json."""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
variants = json.load(open(sys.argv[1]))
verdicts = {os.path.basename(path): verdict for path, verdict in json.load(open(sys.argv[2])).items()}
for variant in variants:
    variant.update(verdicts[variant["name"]])
validator = ("UBL 2.1 XSD (xmllint) + CEN EN16931 UBL 1.3.16 (ConnectingEurope/eInvoicing-EN16931 b6c9e06) + OpenPEPPOL BIS 3.0.19 "
             "(OpenPEPPOL/peppol-bis-invoice-3 78d7f7d, compiled with SchXslt 84ee9dd), Saxon (saxonche 13.1.1)")
json.dump({"validator": validator, "variants": variants}, open(os.path.join(HERE, "expected.json"), "w"), indent=1, sort_keys=True)
print(f"expected.json: {len(variants)} variants")
