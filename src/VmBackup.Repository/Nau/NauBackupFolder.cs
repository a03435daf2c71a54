using System.Text;
using VmBackup.Repository.Nau.Metadata;

namespace VmBackup.Repository.Nau;

/// <summary>
/// One <c>backup-YYYY-MM-DD-(HH:MM:SS)</c> folder: writes the data file (atomically), the metadata files and, last,
/// the success marker; reads back its state (<see cref="Describe"/>).
/// </summary>
public sealed class NauBackupFolder
{
    /// <summary>The suffix of a data file being written; such a file is never a data file.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>The name of the pretty-printed VM metadata file.</summary>
    public const string VmMetadataFileName = "vm-metadata.xml";

    /// <summary>The folder holding the <c>vif-N.cfg</c> files.</summary>
    public const string VifFolderName = "VIFs";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    internal NauBackupFolder(NauVmFolder vmFolder, string name, DateTime localTime)
    {
        VmFolder = vmFolder;
        Name = name;
        LocalTime = localTime;
        Path = NauBackupRoot.Join(vmFolder.Path, name);
    }

    /// <summary>The VM folder this backup belongs to.</summary>
    public NauVmFolder VmFolder { get; }

    /// <summary>The folder name.</summary>
    public string Name { get; }

    /// <summary>The local wall-clock time in the name.</summary>
    public DateTime LocalTime { get; }

    /// <summary>The full path, spelled like v3.25's log lines (<c>&lt;backup_dir&gt;/&lt;vm&gt;/backup-…</c>).</summary>
    public string Path { get; }

    /// <summary>True when any success marker is present.</summary>
    public bool IsSuccessful => NauMarkers.All.Any(m => System.IO.Path.Exists(System.IO.Path.Combine(Path, NauMarkers.FileName(m))));

    /// <summary>The full path of the data file of <paramref name="kind"/>: <c>&lt;folder&gt;/&lt;vm_name&gt;&lt;ext&gt;</c>.</summary>
    public string DataFilePath(NauDataFileKind kind) => NauBackupRoot.Join(Path, NauNames.DataFileName(VmFolder.VmName, kind));

    /// <summary>
    /// Opens <c>&lt;vm_name&gt;&lt;ext&gt;</c> for writing through <c>&lt;name&gt;.partial</c>; call
    /// <see cref="NauPartialFileStream.CommitAsync"/> when the export completed, dispose to abandon it.
    /// </summary>
    public Task<NauPartialFileStream> OpenDataFileForWriteAsync(NauDataFileKind kind, CancellationToken cancellationToken) =>
        OpenDataFileForWriteAsync(NauNames.DataFileName(VmFolder.VmName, kind), cancellationToken);

    /// <summary>Opens the file <paramref name="fileName"/> of this folder for an atomic write (see the other overload).</summary>
    public Task<NauPartialFileStream> OpenDataFileForWriteAsync(string fileName, CancellationToken cancellationToken)
    {
        var segment = NauNames.ToPathSegment(fileName, nameof(fileName));
        if (segment.EndsWith(PartialSuffix, StringComparison.Ordinal) || NauMarkers.TryParse(segment, out _))
        {
            throw new ArgumentException($"'{fileName}' cannot be used as a data file name", nameof(fileName));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new NauPartialFileStream(NauBackupRoot.Join(Path, segment), mode: null));
    }

    /// <summary>
    /// Writes <c>vm-metadata.xml</c>: the VM's <c>ova.xml</c> pretty-printed like <c>xmllint -format</c> (see
    /// <see cref="NauVmMetadataXml"/>). The file appears only complete (atomic write).
    /// </summary>
    /// <exception cref="System.Xml.XmlException">The input is not well-formed; nothing is written.</exception>
    public async Task WriteVmMetadataXmlAsync(Stream ovaXml, CancellationToken cancellationToken)
    {
        var output = await OpenDataFileForWriteAsync(VmMetadataFileName, cancellationToken).ConfigureAwait(false);
        await using (output.ConfigureAwait(false))
        {
            await NauVmMetadataXml.FormatAsync(ovaXml, output, cancellationToken).ConfigureAwait(false);
            await output.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes <c>&lt;folder&gt;/&lt;diskFolderName&gt;/vbd.cfg</c> and <c>vdi.cfg</c> (v3.25's formats). The folder name
    /// comes from <see cref="NauDiskFolderNamer"/>.
    /// </summary>
    public async Task WriteDiskInfoAsync(string diskFolderName, NauVbdRecord vbd, NauVdiRecord vdi, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vbd);
        ArgumentNullException.ThrowIfNull(vdi);
        var dir = NauBackupRoot.Join(Path, NauNames.ToPathSegment(diskFolderName, nameof(diskFolderName)));
        Directory.CreateDirectory(dir);
        await DurableFileSystem.WriteFileAsync(NauBackupRoot.Join(dir, "vbd.cfg"), Utf8.GetBytes(NauCfgFormatter.FormatVbd(vbd)), null, cancellationToken).ConfigureAwait(false);
        await DurableFileSystem.WriteFileAsync(NauBackupRoot.Join(dir, "vdi.cfg"), Utf8.GetBytes(NauCfgFormatter.FormatVdi(vdi)), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <c>&lt;folder&gt;/VIFs/vif-&lt;device&gt;.cfg</c> (v3.25's format), creating <c>VIFs</c> if needed.</summary>
    public async Task WriteVifInfoAsync(NauVifRecord vif, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vif);
        var dir = NauBackupRoot.Join(Path, VifFolderName);
        Directory.CreateDirectory(dir);
        var file = NauBackupRoot.Join(dir, NauNames.ToPathSegment("vif-" + vif.Device + ".cfg"));
        await DurableFileSystem.WriteFileAsync(file, Utf8.GetBytes(NauCfgFormatter.FormatVif(vif)), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the (empty) success marker, fsynced, and fsyncs the folder. Call it last: only after the data file was
    /// committed and every metadata file written, so a killed run never leaves a folder that looks successful.
    /// </summary>
    public async Task WriteSuccessMarkerAsync(NauSuccessMarker marker, CancellationToken cancellationToken)
    {
        DurableFileSystem.FsyncDirectory(Path);
        await DurableFileSystem.WriteFileAsync(NauBackupRoot.Join(Path, NauMarkers.FileName(marker)), ReadOnlyMemory<byte>.Empty, null, cancellationToken).ConfigureAwait(false);
        DurableFileSystem.FsyncDirectory(Path);
    }

    /// <summary>Reads the folder's markers, data files and leftover temporary files.</summary>
    public NauRestorePoint Describe()
    {
        var markers = new List<NauSuccessMarker>();
        var data = new List<NauDataFileInfo>();
        var partial = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (Directory.Exists(Path))
        {
            foreach (var info in new DirectoryInfo(Path).EnumerateFileSystemInfos())
            {
                names.Add(info.Name);
                if (info is not FileInfo file || (file.Attributes & FileAttributes.ReparsePoint) != 0)
                {
                    continue;
                }

                if (file.Name.EndsWith(PartialSuffix, StringComparison.Ordinal))
                {
                    partial.Add(file.Name);
                }
                else if (NauDataFileKinds.TryFromFileName(file.Name, out var kind))
                {
                    data.Add(new NauDataFileInfo(file.Name, kind, file.Length));
                }
            }
        }

        markers.AddRange(NauMarkers.All.Where(m => names.Contains(NauMarkers.FileName(m))));
        return new NauRestorePoint(
            Name,
            Path,
            LocalTime,
            markers,
            [.. data.OrderBy(d => d.FileName, StringComparer.Ordinal)],
            [.. partial.Order(StringComparer.Ordinal)]);
    }
}
