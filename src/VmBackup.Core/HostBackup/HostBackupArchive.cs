using System.IO.Compression;
using System.Text;
using VmBackup.Formats.Tar;

namespace VmBackup.Core.HostBackup;

/// <summary>
/// Checks a control domain backup (<c>GET /host_backup</c>): a gzip tar of the dom0 root file system that must hold
/// <c>etc/xensource-inventory</c>. Reads the whole archive, so a truncated file is detected.
/// </summary>
public static class HostBackupArchive
{
    /// <summary>The inventory every dom0 has.</summary>
    public const string InventoryPath = "etc/xensource-inventory";

    /// <summary>Reads <paramref name="archive"/> to its end and returns what it holds.</summary>
    /// <exception cref="HostBackupException">Not a gzip tar, truncated, or without the inventory.</exception>
    public static async Task<HostBackupContents> CheckAsync(Stream archive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(archive);
        string? inventory = null;
        var entries = 0;
        var hasDump = false;
        try
        {
            var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
            {
                var tar = new TarReader(gzip);
                var buffer = new byte[64 * 1024];
                while (await tar.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    entries++;
                    var name = entry.Name.TrimStart('.', '/');
                    hasDump |= name.StartsWith("var/backup/pool-database-", StringComparison.Ordinal);
                    if (name == InventoryPath && entry.Size <= 1 << 20)
                    {
                        var data = new byte[entry.Size];
                        await tar.ReadDataExactlyAsync(data, cancellationToken).ConfigureAwait(false);
                        inventory = Encoding.UTF8.GetString(data);
                        continue;
                    }

                    while (await tar.ReadDataAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
                    {
                    }
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new HostBackupException("not a complete host backup (gzip tar): " + e.Message, e);
        }

        if (inventory is null)
        {
            throw new HostBackupException($"not a host backup: the archive holds no {InventoryPath}");
        }

        return new HostBackupContents(Value(inventory, "INSTALLATION_UUID"), Value(inventory, "PRODUCT_VERSION"), entries, hasDump);
    }

    private static string Value(string inventory, string key)
    {
        foreach (var line in inventory.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith(key + "=", StringComparison.Ordinal))
            {
                return trimmed[(key.Length + 1)..].Trim('\'', '"');
            }
        }

        return string.Empty;
    }
}
