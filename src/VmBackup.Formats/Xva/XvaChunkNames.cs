using System.Globalization;

namespace VmBackup.Formats.Xva;

/// <summary>Names of XVA entries.</summary>
public static class XvaChunkNames
{
    /// <summary>The metadata entry, always first.</summary>
    public const string OvaXml = "ova.xml";

    /// <summary>Extension of XXH64 checksum entries.</summary>
    public const string XxhashExtension = ".xxhash";

    /// <summary>Extension of legacy SHA-1 checksum entries.</summary>
    public const string Sha1Extension = ".checksum";

    /// <summary><c>Ref:N/%08d</c>.</summary>
    public static string Chunk(string diskId, long counter) => diskId + "/" + counter.ToString("D8", CultureInfo.InvariantCulture);
}
