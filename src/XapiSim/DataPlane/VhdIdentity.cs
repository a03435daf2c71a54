using System.Security.Cryptography;
using System.Text;
using VmBackup.Formats.Vhd;
using XapiSim.Model;

namespace XapiSim.DataPlane;

/// <summary>
/// The simulated VHD file behind a VDI: a stable footer unique id (derived from the disk id, so that a VDI exported as
/// VHD and a differencing export against it as <c>base</c> agree), its path under the SR mount and its mtime.
/// </summary>
internal static class VhdIdentity
{
    private static readonly DateTime VhdEpoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static Guid UniqueId(string diskId) => new(MD5.HashData(Encoding.UTF8.GetBytes("xapisim-vhd:" + diskId)));

    public static VhdParent ParentOf(SimulatedPool pool, string vdiRef, string diskId)
    {
        var db = pool.Database;
        var sr = db.GetString("VDI", vdiRef, "SR");
        var path = $"/var/run/sr-mount/{db.GetString("SR", sr, "uuid")}/{db.GetString("VDI", vdiRef, "uuid")}.vhd";
        var time = (DateTime)db.Get("VDI", vdiRef, "snapshot_time");
        var seconds = time > VhdEpoch ? (uint)(time - VhdEpoch).TotalSeconds : 0u;
        return new VhdParent(UniqueId(diskId), seconds, path);
    }
}
