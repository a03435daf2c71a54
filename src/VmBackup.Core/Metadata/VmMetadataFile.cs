using System.Text;
using VmBackup.Formats.Tar;
using VmBackup.Formats.Xva;

namespace VmBackup.Core.Metadata;

/// <summary>Reads a <c>.vmmeta</c> file: a tar holding only <c>ova.xml</c> (what <c>/export_metadata</c> sends).</summary>
public static class VmMetadataFile
{
    /// <summary>Parses the <c>ova.xml</c> of <paramref name="vmmeta"/>.</summary>
    /// <exception cref="MetadataBackupException">Not a tar, or no <c>ova.xml</c> in it.</exception>
    public static async Task<OvaXml> ReadOvaAsync(byte[] vmmeta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vmmeta);
        using var stream = new MemoryStream(vmmeta, writable: false);
        var reader = new TarReader(stream);
        try
        {
            while (await reader.ReadNextEntryAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (entry.Name == "ova.xml")
                {
                    var data = new byte[entry.Size];
                    await reader.ReadDataExactlyAsync(data, cancellationToken).ConfigureAwait(false);
                    return OvaXml.Parse(Encoding.UTF8.GetString(data));
                }
            }
        }
        catch (Exception e) when (e is TarFormatException or FormatException)
        {
            throw new MetadataBackupException("damaged VM metadata archive: " + e.Message, e);
        }

        throw new MetadataBackupException("VM metadata archive without ova.xml");
    }

    /// <summary>The (uuid, name) of the archive's VM (not one of its snapshots).</summary>
    public static (string Uuid, string Name) Identity(OvaXml ova)
    {
        ArgumentNullException.ThrowIfNull(ova);
        var vm = ova.Vm ?? throw new MetadataBackupException("VM metadata archive whose ova.xml has no VM");
        return (vm.GetString("uuid") ?? string.Empty, vm.GetString("name_label") ?? string.Empty);
    }
}
