using System.Security.Cryptography;
using System.Text;
using VmBackup.Xapi;
using VmBackup.Xapi.Records;

namespace VmBackup.Core.Metadata;

/// <summary>
/// The SR's <c>Pool Metadata Backup</c> VDI (XAPI reference §7.2): its uuid is uuid5(<c>e93e0639-…</c>, sr_uuid), which
/// XAPI assigns itself when a <c>user</c> VDI of exactly that name is created. Found by that uuid, else by name on the SR;
/// created on first use with <c>other_config:ctxs-pool-backup=true</c>.
/// </summary>
public static class PoolMetadataVdi
{
    /// <summary>The VDI's name, as <c>xe-backup-metadata</c> creates it.</summary>
    public const string NameLabel = "Pool Metadata Backup";

    /// <summary>The namespace of the uuid5 that names the VDI.</summary>
    public const string UuidNamespace = "e93e0639-2bdb-4a59-8b46-352b3f408c19";

    /// <summary>The size of the VDI created on first use (the 500 MiB; the most a backup archive may take).</summary>
    public const long DefaultSize = 500L * 1024 * 1024;

    /// <summary>uuid5(<see cref="UuidNamespace"/>, <paramref name="srUuid"/>) in canonical lower-case form.</summary>
    public static string DeriveUuid(string srUuid)
    {
        ArgumentNullException.ThrowIfNull(srUuid);
        var ns = Convert.FromHexString(UuidNamespace.Replace("-", string.Empty, StringComparison.Ordinal));
        var name = Encoding.UTF8.GetBytes(srUuid);
        var input = new byte[ns.Length + name.Length];
        ns.CopyTo(input, 0);
        name.CopyTo(input, ns.Length);
#pragma warning disable CA5350 // uuid5 is defined over SHA-1 (RFC 4122 §4.3); this is naming, not security.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(hash, 0, 16);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    /// <summary>The backup VDI of <paramref name="sr"/>, or null when there is none.</summary>
    public static async Task<(XenRef<VdiRecord> Ref, VdiRecord Record)?> FindAsync(XenApiSession session, XenRef<SrRecord> sr, string srUuid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        try
        {
            var byUuid = await session.Vdi.GetByUuidAsync(DeriveUuid(srUuid), cancellationToken).ConfigureAwait(false);
            return (byUuid, await session.Vdi.GetRecordAsync(byUuid, cancellationToken).ConfigureAwait(false));
        }
        catch (XenApiException e) when (e.ErrorCode is XenApiErrorCodes.UuidInvalid or XenApiErrorCodes.HandleInvalid)
        {
            // Not there by uuid: a VDI created by a XAPI that does not derive the uuid is found by its name.
        }

        foreach (var vdi in await session.Vdi.GetByNameLabelAsync(NameLabel, cancellationToken).ConfigureAwait(false))
        {
            var record = await session.Vdi.GetRecordAsync(vdi, cancellationToken).ConfigureAwait(false);
            if (record.Sr == sr && !record.IsASnapshot)
            {
                return (vdi, record);
            }
        }

        return null;
    }

    /// <summary>Creates the backup VDI on <paramref name="sr"/> (a <c>user</c> VDI named <see cref="NameLabel"/>).</summary>
    public static async Task<(XenRef<VdiRecord> Ref, VdiRecord Record)> CreateAsync(XenApiSession session, XenRef<SrRecord> sr, long size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var vdi = await session.Vdi.CreateAsync(
            new VdiCreateSpec
            {
                NameLabel = NameLabel,
                NameDescription = "VM metadata backups written by vmbackup metadata backup",
                Sr = sr,
                VirtualSize = size,
                Type = VdiType.User,
                OtherConfig = new Dictionary<string, string>(StringComparer.Ordinal) { ["ctxs-pool-backup"] = "true" },
            },
            cancellationToken).ConfigureAwait(false);
        return (vdi, await session.Vdi.GetRecordAsync(vdi, cancellationToken).ConfigureAwait(false));
    }
}
