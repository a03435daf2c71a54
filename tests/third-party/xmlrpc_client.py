"""Drives XapiSim with Python's standard xmlrpc.client, the way XenAPI.py does.

usage: python3 xmlrpc_client.py URL USER PASSWORD [SHA256_FINGERPRINT]

With a fingerprint (https URLs), the server certificate is fetched, checked against the
fingerprint, and then trusted as the only CA for the real connection, so TLS is verified.
Prints one JSON object describing what it saw.
"""
import hashlib
import json
import ssl
import sys
import xmlrpc.client
from urllib.parse import urlparse


def context_for(url, fingerprint):
    if not fingerprint:
        return None
    parsed = urlparse(url)
    pem = ssl.get_server_certificate((parsed.hostname, parsed.port or 443))
    der = ssl.PEM_cert_to_DER_cert(pem)
    actual = hashlib.sha256(der).hexdigest()
    wanted = fingerprint.replace(":", "").lower()
    if actual != wanted:
        raise SystemExit(f"fingerprint mismatch: server presents {actual}")
    context = ssl.create_default_context(cadata=pem)
    context.check_hostname = False
    return context


def main():
    url, user, password = sys.argv[1:4]
    fingerprint = sys.argv[4] if len(sys.argv) > 4 else ""
    context = context_for(url, fingerprint)
    proxy = xmlrpc.client.ServerProxy(url, context=context) if context else xmlrpc.client.ServerProxy(url)
    report = {}

    login = proxy.session.login_with_password(user, password, "1.0", "python-xmlrpc-test")
    report["loginStatus"] = login["Status"]
    session = login["Value"]

    records = proxy.VM.get_all_records(session)
    report["recordsStatus"] = records["Status"]
    vms = records["Value"]
    report["vmNames"] = sorted(
        vm["name_label"]
        for vm in vms.values()
        if not vm["is_a_template"] and not vm["is_a_snapshot"] and not vm["is_control_domain"]
    )
    any_vm = next(iter(vms.values()))
    # int64 travel as bare strings in XAPI's XML-RPC
    report["memoryStaticMaxType"] = type(any_vm["memory_static_max"]).__name__

    unknown = proxy.VM.no_such_method(session)
    report["unknownMethod"] = unknown.get("ErrorDescription")

    stale = proxy.VM.get_record(session, "OpaqueRef:00000000-0000-0000-0000-000000000bad")
    report["staleRef"] = stale.get("ErrorDescription")

    methods = proxy.system.listMethods()
    report["listMethodsIsList"] = isinstance(methods, list)
    report["hasVmGetAllRecords"] = "VM.get_all_records" in methods

    report["logoutStatus"] = proxy.session.logout(session)["Status"]

    wrong = proxy.session.login_with_password(user, password + "-wrong", "1.0", "python-xmlrpc-test")
    report["wrongPassword"] = wrong.get("ErrorDescription")

    print(json.dumps(report))


if __name__ == "__main__":
    main()
