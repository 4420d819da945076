#!/usr/bin/env python3
"""Plans mutated variants of official samples: each changes the text of one amount or quantity
(a third decimal, a trailing zero, spaces around the number, a cent or a krona more or less),
recorded as a replacement at a byte offset of the sample so the tests rebuild the variant
exactly. Writes the variants to OUT (for the official validator) and their list to
the list OUT/variants.json. See README.md here. Needs lxml. Deterministic."""
import json, os, sys
from decimal import Decimal
from lxml import etree

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.dirname(HERE)
NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
      "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}
BASES = ["bis3/base-example.xml", "bis3/base-creditnote-correction.xml", "bis3/Allowance-example.xml",
         "bis3/vat-category-O.xml", "bis3/vat-category-Z.xml", "synthetic-se/se-rent-invoice-vat-E.xml"]
LINE = "(cac:InvoiceLine|cac:CreditNoteLine)[1]"
AMOUNTS = {
    "line-net": LINE + "/cbc:LineExtensionAmount",
    "line-allowance": LINE + "/cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='false'][1]/cbc:Amount",
    "line-allowance-base": LINE + "/cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='false'][1]/cbc:BaseAmount",
    "line-charge": LINE + "/cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='true'][1]/cbc:Amount",
    "doc-allowance": "cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='false'][1]/cbc:Amount",
    "doc-allowance-base": "cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='false'][1]/cbc:BaseAmount",
    "doc-charge": "cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='true'][1]/cbc:Amount",
    "doc-charge-base": "cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='true'][1]/cbc:BaseAmount",
    "total-lines": "cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
    "total-allowances": "cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount",
    "total-charges": "cac:LegalMonetaryTotal/cbc:ChargeTotalAmount",
    "total-exclusive": "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
    "total-inclusive": "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
    "total-prepaid": "cac:LegalMonetaryTotal/cbc:PrepaidAmount",
    "total-rounding": "cac:LegalMonetaryTotal/cbc:PayableRoundingAmount",
    "total-payable": "cac:LegalMonetaryTotal/cbc:PayableAmount",
    "tax-total": "cac:TaxTotal[1]/cbc:TaxAmount",
    "subtotal-taxable": "cac:TaxTotal[1]/cac:TaxSubtotal[1]/cbc:TaxableAmount",
    "subtotal-tax": "cac:TaxTotal[1]/cac:TaxSubtotal[1]/cbc:TaxAmount",
}
OTHERS = {
    "price": LINE + "/cac:Price/cbc:PriceAmount",
    "quantity": LINE + "/cbc:InvoicedQuantity|" + LINE + "/cbc:CreditedQuantity",
}

def shifted(by):
    def operation(text):
        value = Decimal(text.strip()) + Decimal(by)
        places = max(2, -value.as_tuple().exponent)
        return f"{value:.{places}f}"
    return operation

DECIMAL_OPERATIONS = {
    "trailing-zero": lambda text: text + ("0" if "." in text else ".000"),
    "third-decimal": shifted("0.001"),
    "spaces": lambda text: " " + text + " ",
}
VALUE_OPERATIONS = {"plus-cent": shifted("0.01"), "minus-cent": shifted("-0.01")}
VAT_OPERATIONS = {"plus-one": shifted("1.00"), "minus-one": shifted("-1.00"), "plus-one-and-a-cent": shifted("1.01"),
                  "minus-one-and-a-cent": shifted("-1.01")}

def plan():
    for target, path in AMOUNTS.items():
        for name, operation in DECIMAL_OPERATIONS.items():
            yield target, path, name, operation
        if target.startswith(("total-", "line-net", "doc-")):
            for name, operation in VALUE_OPERATIONS.items():
                yield target, path, name, operation
        if target in ("subtotal-taxable", "subtotal-tax", "tax-total"):
            for name, operation in VAT_OPERATIONS.items():
                yield target, path, name, operation
    for target, path in OTHERS.items():
        for name, operation in [("plus-cent", shifted("0.01")), ("third-decimal", shifted("0.001"))]:
            yield target, path, name, operation

def main(out):
    os.makedirs(out, exist_ok=True)
    variants = []
    for base in BASES:
        raw = open(os.path.join(SAMPLES, base), "rb").read()
        root = etree.fromstring(raw)
        stem = os.path.splitext(os.path.basename(base))[0]
        for target, path, name, operation in plan():
            found = root.xpath(path, namespaces=NS)
            if not found:
                continue
            element = found[0]
            old = element.text
            # The element's text in the file: after the end of its start tag, on or after its line.
            line_start = sum(len(line) for line in raw.splitlines(keepends=True)[: element.sourceline - 1])
            start_tag = raw.index(b">", raw.index(b"<", line_start)) + 1
            offset = raw.index(old.encode(), start_tag)
            assert raw[start_tag:offset].strip() == b"", (base, target)
            new = operation(old)
            variant = raw[:offset] + new.encode() + raw[offset + len(old.encode()):]
            file_name = f"{stem}--{target}--{name}.xml"
            open(os.path.join(out, file_name), "wb").write(variant)
            variants.append({"name": file_name, "base": base, "offset": offset, "old": old, "new": new})
    json.dump(variants, open(os.path.join(out, "variants.json"), "w"), indent=1)
    print(f"planned {len(variants)} variants in {out}")

if __name__ == "__main__":
    main(sys.argv[1])
