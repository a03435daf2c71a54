"""Drives the storage side of XAPI disaster recovery on XapiSim with Python's standard xmlrpc.client,
the way XenAPI.py (and the XenCenter DR wizard's calls) do it.

usage: python3 dr_storage_client.py URL USER PASSWORD TARGET TARGET_IQN SCSI_ID SR_UUID

Probes the LUN for SR metadata, introduces the SR with DR_task.create, opens the replicated database,
then destroys the task. Prints one JSON object describing what it saw.
"""
import json
import sys
import xmlrpc.client
from xml.dom import minidom


def value(result):
    if result["Status"] != "Success":
        raise SystemExit(f"call failed: {result['ErrorDescription']}")
    return result["Value"]


def main():
    url, user, password, target, iqn, scsi_id, sr_uuid = sys.argv[1:8]
    proxy = xmlrpc.client.ServerProxy(url)
    report = {}
    session = value(proxy.session.login_with_password(user, password, "1.0", "python-dr-test"))
    pool = value(proxy.pool.get_all(session))[0]
    master = value(proxy.pool.get_master(session, pool))
    device_config = {"target": target, "targetIQN": iqn, "SCSIid": scsi_id}

    probe = value(proxy.SR.probe(session, master, device_config, "lvmoiscsi", {"metadata": "true"}))
    report["probedUuids"] = [
        node.getElementsByTagName("UUID")[0].firstChild.data.strip()
        for node in minidom.parseString(probe).getElementsByTagName("SR")
    ]

    task = value(proxy.DR_task.create(session, "lvmoiscsi", device_config, [sr_uuid]))
    srs = value(proxy.DR_task.get_introduced_SRs(session, task))
    report["introducedCount"] = len(srs)
    sr = srs[0]
    record = value(proxy.SR.get_record(session, sr))
    report["srUuid"] = record["uuid"]
    report["introducedByTask"] = record["introduced_by"] == task
    report["pbdsAttached"] = [
        value(proxy.PBD.get_currently_attached(session, pbd)) for pbd in record["PBDs"]
    ]

    metadata = [
        vdi for vdi in record["VDIs"] if value(proxy.VDI.get_type(session, vdi)) == "metadata"
    ]
    report["metadataLatest"] = [value(proxy.VDI.get_metadata_latest(session, vdi)) for vdi in metadata]
    db_session = value(proxy.VDI.open_database(session, metadata[0]))
    vms = value(proxy.VM.get_all_records(db_session))
    report["replicatedVms"] = sorted(
        vm["name_label"] for vm in vms.values() if not vm["is_a_template"] and not vm["is_control_domain"]
    )
    value(proxy.session.logout(db_session))

    report["forgetWhilePlugged"] = proxy.SR.forget(session, sr).get("ErrorDescription")
    report["wrongType"] = proxy.DR_task.create(session, "nfs", device_config, [sr_uuid]).get("ErrorDescription")
    report["destroyStatus"] = proxy.DR_task.destroy(session, task)["Status"]
    report["srAfterDestroy"] = proxy.SR.get_by_uuid(session, sr_uuid).get("ErrorDescription")
    report["logoutStatus"] = proxy.session.logout(session)["Status"]
    print(json.dumps(report))


if __name__ == "__main__":
    main()
