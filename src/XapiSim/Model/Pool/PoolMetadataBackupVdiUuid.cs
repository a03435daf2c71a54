using System.Security.Cryptography;
using System.Text;

namespace XapiSim.Model.Pool;

/// <summary>
/// XAPI gives a <c>user</c> VDI created with the exact name <c>Pool Metadata Backup</c> a uuid derived from its SR:
/// uuid5(<c>e93e0639-2bdb-4a59-8b46-352b3f408c19</c>, sr_uuid), which is how <c>xe-backup-metadata</c> finds it again.
/// </summary>
internal static class PoolMetadataBackupVdiUuid
{
    public const string NameLabel = "Pool Metadata Backup";

    private static readonly byte[] Namespace = Convert.FromHexString("e93e06392bdb4a598b46352b3f408c19");

    /// <summary>The uuid5 (RFC 4122 §4.3, SHA-1) of <paramref name="srUuid"/> in XAPI's namespace, lower-case.</summary>
    public static string For(string srUuid)
    {
        var name = Encoding.UTF8.GetBytes(srUuid);
        var input = new byte[Namespace.Length + name.Length];
        Namespace.CopyTo(input, 0);
        name.CopyTo(input, Namespace.Length);
#pragma warning disable CA5350 // uuid5 is defined over SHA-1; this names an object, it protects nothing.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(hash, 0, 16);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }
}
