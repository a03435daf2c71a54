using XapiSim.Model.Database;
using XapiSim.Model.Pool;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary>VBD create/destroy/plug/unplug/insert/eject and VIF create/destroy (minimal, as the backup tool needs).</summary>
internal static class DeviceMethods
{
    public static void Register(MethodTable table)
    {
        table.Add("VBD.create", CreateVbd);
        table.Add("VBD.destroy", call => DestroyDevice(call, "VBD"));
        table.Add("VBD.plug", call => Plug(call, "VBD", true));
        table.Add("VBD.unplug", call => Plug(call, "VBD", false));
        table.Add("VBD.unplug_force", call => Plug(call, "VBD", false));
        table.Add("VBD.insert", call =>
        {
            var db = call.Pool.Database;
            lock (db.SyncRoot)
            {
                db.Require("VDI", call.Str(1));
                if (!(bool)db.Get("VBD", call.Str(0), "empty"))
                {
                    throw new XenApiFailure("VBD_NOT_EMPTY", call.Str(0));
                }

                db.Set("VBD", call.Str(0), "VDI", call.Str(1));
                db.Set("VBD", call.Str(0), "empty", false);
            }

            return RpcVoid.Instance;
        });
        table.Add("VBD.eject", call =>
        {
            var db = call.Pool.Database;
            lock (db.SyncRoot)
            {
                if ((bool)db.Get("VBD", call.Str(0), "empty"))
                {
                    throw new XenApiFailure("VBD_IS_EMPTY", call.Str(0));
                }

                db.Set("VBD", call.Str(0), "VDI", XapiValues.NullRef);
                db.Set("VBD", call.Str(0), "empty", true);
            }

            return RpcVoid.Instance;
        });
        table.Add("VIF.create", CreateVif);
        table.Add("VIF.destroy", call => DestroyDevice(call, "VIF"));
        table.Add("VIF.plug", call => Plug(call, "VIF", true));
        table.Add("VIF.unplug", call => Plug(call, "VIF", false));
    }

    private static object CreateVbd(MethodCall call)
    {
        var pool = call.Pool;
        var db = pool.Database;
        var fields = RecordArgument.Fields(PoolDatabase.Model["VBD"], call.Map(0));
        lock (db.SyncRoot)
        {
            var vm = fields.GetValueOrDefault("VM") as string ?? XapiValues.NullRef;
            db.Require("VM", vm);
            var vdi = fields.GetValueOrDefault("VDI") as string ?? XapiValues.NullRef;
            var empty = fields.GetValueOrDefault("empty") is true;
            if (!empty || !XapiValues.IsNull(vdi))
            {
                db.Require("VDI", vdi);
            }

            var userdevice = fields.GetValueOrDefault("userdevice") as string ?? "autodetect";
            var used = db.GetStrings("VM", vm, "VBDs").Select(v => db.GetString("VBD", v, "userdevice")).ToHashSet(StringComparer.Ordinal);
            if (userdevice is "autodetect" or "")
            {
                var n = 0;
                while (used.Contains(n.ToString(System.Globalization.CultureInfo.InvariantCulture)) || n == 3)
                {
                    n++;
                }

                userdevice = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (used.Contains(userdevice))
            {
                throw new XenApiFailure("DEVICE_ALREADY_EXISTS", userdevice);
            }

            var type = fields.GetValueOrDefault("type") as string ?? "Disk";
            var mode = fields.GetValueOrDefault("mode") as string ?? "RW";
            var otherConfig = fields.GetValueOrDefault("other_config") as IReadOnlyDictionary<string, object>;
            var vbd = new PoolObjects(pool).CreateVbd(vm, empty ? XapiValues.NullRef : vdi, userdevice, type, fields.GetValueOrDefault("bootable") is true, mode, false, otherConfig);
            if (fields.GetValueOrDefault("unpluggable") is bool unpluggable)
            {
                db.Set("VBD", vbd, "unpluggable", unpluggable);
            }

            return vbd;
        }
    }

    private static object CreateVif(MethodCall call)
    {
        var pool = call.Pool;
        var db = pool.Database;
        var fields = RecordArgument.Fields(PoolDatabase.Model["VIF"], call.Map(0));
        lock (db.SyncRoot)
        {
            var vm = fields.GetValueOrDefault("VM") as string ?? XapiValues.NullRef;
            var network = fields.GetValueOrDefault("network") as string ?? XapiValues.NullRef;
            db.Require("VM", vm);
            db.Require("network", network);
            var device = fields.GetValueOrDefault("device") as string ?? "0";
            if (db.GetStrings("VM", vm, "VIFs").Any(v => db.GetString("VIF", v, "device") == device))
            {
                throw new XenApiFailure("DEVICE_ALREADY_EXISTS", device);
            }

            var mac = fields.GetValueOrDefault("MAC") as string;
            return new PoolObjects(pool).CreateVif(vm, network, device, string.IsNullOrEmpty(mac) ? null : mac, false);
        }
    }

    private static object DestroyDevice(MethodCall call, string cls)
    {
        var db = call.Pool.Database;
        lock (db.SyncRoot)
        {
            if ((bool)db.Get(cls, call.Str(0), "currently_attached"))
            {
                throw new XenApiFailure("OPERATION_NOT_ALLOWED", $"{cls} is currently attached to a running VM");
            }

            db.Destroy(call.Str(0));
        }

        return RpcVoid.Instance;
    }

    private static object Plug(MethodCall call, string cls, bool plug)
    {
        var db = call.Pool.Database;
        var device = call.Str(0);
        lock (db.SyncRoot)
        {
            var vm = db.GetString(cls, device, "VM");
            var state = db.GetString("VM", vm, "power_state");
            if (state != "Running")
            {
                throw VmMethods.BadPowerState(vm, ["Running"], state);
            }

            var attached = (bool)db.Get(cls, device, "currently_attached");
            if (attached == plug)
            {
                throw new XenApiFailure(plug ? "DEVICE_ALREADY_ATTACHED" : "DEVICE_ALREADY_DETACHED", device);
            }

            db.Set(cls, device, "currently_attached", plug);
            db.Set(cls, device, "allowed_operations", new List<object> { plug ? "unplug" : "attach" });
        }

        return RpcVoid.Instance;
    }
}
