using System.Globalization;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary>Small calls clients make around backups: device slots, server time, operation checks, messages.</summary>
internal static class MiscMethods
{
    public static void Register(MethodTable table)
    {
        table.Add("VM.get_allowed_VBD_devices", call => FreeSlots(call, "VBDs", "VBD", "userdevice", 16));
        table.Add("VM.get_allowed_VIF_devices", call => FreeSlots(call, "VIFs", "VIF", "device", 7));
        table.Add("VM.get_boot_record", call => call.Pool.Database.GetRecord("VM", call.Str(0)));
        table.Add("VM.provision", call => Touch(call, "VM"));
        table.Add("VM.update_allowed_operations", call => Touch(call, "VM"));
        table.Add("VM.assert_can_boot_here", call => Touch(call, "VM"));
        table.Add("VM.assert_operation_valid", call =>
        {
            var allowed = call.Pool.Database.GetStrings("VM", call.Str(0), "allowed_operations");
            if (!allowed.Contains(call.Str(1)))
            {
                throw new XenApiFailure("OPERATION_NOT_ALLOWED", $"VM.{call.Str(1)} is not allowed in the VM's current state");
            }

            return RpcVoid.Instance;
        });
        table.Add("VDI.update", call => Touch(call, "VDI"));
        table.Add("SR.update", call => Touch(call, "SR"));
        table.Add("host.get_servertime", call =>
        {
            call.Pool.Database.Require("host", call.Str(0));
            return call.Pool.Now;
        });
        table.Add("host.get_server_localtime", call =>
        {
            call.Pool.Database.Require("host", call.Str(0));
            return call.Pool.Now;
        });
        table.Add("session.get_all_subject_identifiers", _ => new List<object>());
        table.Add("message.create", call =>
        {
            var db = call.Pool.Database;
            return db.Create("message", new Dictionary<string, object>
            {
                ["name"] = call.Str(0),
                ["priority"] = call.Long(1),
                ["cls"] = call.Str(2),
                ["obj_uuid"] = call.Str(3),
                ["timestamp"] = call.Pool.Now,
                ["body"] = call.Str(4),
            });
        });
        table.Add("message.destroy", call =>
        {
            call.Pool.Database.Require("message", call.Str(0));
            call.Pool.Database.Destroy(call.Str(0));
            return RpcVoid.Instance;
        });
    }

    private static object Touch(MethodCall call, string cls)
    {
        call.Pool.Database.Require(cls, call.Str(0));
        return RpcVoid.Instance;
    }

    private static List<object> FreeSlots(MethodCall call, string field, string cls, string deviceField, int count)
    {
        var db = call.Pool.Database;
        lock (db.SyncRoot)
        {
            var used = db.GetStrings("VM", call.Str(0), field).Select(d => db.GetString(cls, d, deviceField)).ToHashSet(StringComparer.Ordinal);
            return [.. Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).Where(d => !used.Contains(d)).Cast<object>()];
        }
    }
}
