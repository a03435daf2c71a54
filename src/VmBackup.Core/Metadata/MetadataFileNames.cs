namespace VmBackup.Core.Metadata;

/// <summary>The names inside a dated metadata backup (the layout of <c>xe-backup-metadata</c>'s <c>metadata/&lt;date&gt;</c>).</summary>
public static class MetadataFileNames
{
    /// <summary>The pool database dump (<c>xe pool-dump-database</c>).</summary>
    public const string PoolDatabase = "pool-database.xml";

    /// <summary>The SRs and their VDIs with names (<c>SRMETA.xml</c>).</summary>
    public const string SrMeta = "SRMETA.xml";

    /// <summary>The folder of the per-VM metadata archives (<c>all/&lt;vm_uuid&gt;.vmmeta</c>).</summary>
    public const string VmFolder = "all";

    /// <summary>The folder of the by-SR index's symlinks (<c>by-sr/&lt;sr_uuid&gt;/&lt;vm_uuid&gt;.vmmeta</c>, see <see cref="MetadataBySr"/>).</summary>
    public const string BySrFolder = "by-sr";

    /// <summary>The archive entry holding the by-SR index in the <c>Pool Metadata Backup</c> VDI (see <see cref="MetadataBySr"/>).</summary>
    public const string BySrIndex = "by-sr.index";

    /// <summary>The extension of a VM metadata archive.</summary>
    public const string VmExtension = ".vmmeta";

    /// <summary>The format of a dated folder's name (UTC): <c>YYYY-MM-DD-HH-MM-SS</c>.</summary>
    public const string DateFormat = "yyyy-MM-dd-HH-mm-ss";

    /// <summary>The relative path of a VM's metadata archive.</summary>
    public static string VmFile(string vmUuid) => VmFolder + "/" + vmUuid + VmExtension;

    /// <summary>Whether <paramref name="relativePath"/> is a VM metadata archive.</summary>
    public static bool IsVmFile(string relativePath) =>
        relativePath.StartsWith(VmFolder + "/", StringComparison.Ordinal) && relativePath.EndsWith(VmExtension, StringComparison.Ordinal);

    /// <summary>Parses a dated folder name; false for anything else.</summary>
    public static bool TryParseDate(string name, out DateTime date) =>
        DateTime.TryParseExact(name, DateFormat, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out date);

    /// <summary>The dated folder name of <paramref name="time"/> (UTC).</summary>
    public static string FormatDate(DateTimeOffset time) => time.UtcDateTime.ToString(DateFormat, System.Globalization.CultureInfo.InvariantCulture);
}
