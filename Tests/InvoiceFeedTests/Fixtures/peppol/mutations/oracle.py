"""The official verdict on UBL documents: the UBL 2.1 XSD (xmllint/libxml2), then the CEN EN16931
UBL Schematron (validation artefacts 1.3.16, compiled XSLT) and the OpenPEPPOL BIS 3.0.19 Schematron
(compiled with SchXslt), run with Saxon (saxonche). Prints {file: {xsd_valid, fatal, warning}}."""
import json, subprocess, sys, os, re
from saxonche import PySaxonProcessor

XSD = sys.argv[1]  # the UBL 2.1 XSD folder, with maindoc/ and common/
files = sys.argv[2:]
SVRL = "http://purl.oclc.org/dsdl/svrl"

def xsd_valid(path):
    text = open(path, encoding="utf-8", errors="replace").read(4000)
    root = "CreditNote" if re.search(r"<([A-Za-z0-9]+:)?CreditNote[\s>]", text) else "Invoice"
    schema = os.path.join(XSD, "maindoc", f"UBL-{root}-2.1.xsd")
    return subprocess.run(["xmllint", "--noout", "--schema", schema, path], capture_output=True).returncode == 0

results = {}
with PySaxonProcessor(license=False) as proc:
    xslt = proc.new_xslt30_processor()
    stylesheets = [xslt.compile_stylesheet(stylesheet_file=s) for s in ("cen.xslt", "peppol.xslt")]
    xp = proc.new_xpath_processor()
    xp.declare_namespace("svrl", SVRL)
    for path in files:
        fatal, warning = set(), set()
        valid = xsd_valid(path)
        try:
            doc = proc.parse_xml(xml_file_name=path)
            for sheet in stylesheets:
                out = sheet.transform_to_value(xdm_node=doc)
                node = out.head
                xp.set_context(xdm_item=node)
                for item in (xp.evaluate("//svrl:failed-assert") or []):
                    n = item.get_node_value()
                    flag = n.get_attribute_value("flag") or "fatal"
                    rule = n.get_attribute_value("id")
                    (fatal if flag == "fatal" else warning).add(rule)
        except Exception as e:
            fatal.add("PARSE-ERROR")
        results[path] = {"xsd_valid": valid, "fatal": sorted(fatal), "warning": sorted(warning)}
json.dump(results, sys.stdout, indent=1, sort_keys=True)
