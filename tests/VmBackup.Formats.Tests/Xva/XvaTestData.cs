using VmBackup.Formats.Disks;
using VmBackup.Formats.Tests.Support;
using VmBackup.Formats.XmlRpc;
using VmBackup.Formats.Xva;

namespace VmBackup.Formats.Tests.Xva;

/// <summary>Builds ova.xml models and collects XVA reads in memory.</summary>
internal static class XvaTestData
{
    public static OvaXml Metadata(IEnumerable<(string Id, long Size)> disks)
    {
        var list = disks.ToList();
        var objects = new List<OvaObject>();
        var vbdIds = list.Select((_, i) => $"Ref:{1000 + i}").ToList();
        objects.Add(new OvaObject("VM", "Ref:0", XmlRpcValue.FromStruct(
            ("uuid", XmlRpcValue.FromString("6f2c1c43-0000-4000-8000-000000000001")),
            ("name_label", XmlRpcValue.FromString("test <vm> & \"quotes\"")),
            ("is_a_template", XmlRpcValue.FromBoolean(false)),
            ("is_a_snapshot", XmlRpcValue.FromBoolean(false)),
            ("memory_static_max", XmlRpcValue.FromInt64(1L << 32)),
            ("snapshot_time", XmlRpcValue.FromDateTime(DateTime.UnixEpoch)),
            ("VBDs", XmlRpcValue.FromArray(vbdIds.Select(XmlRpcValue.FromString))))));
        for (var i = 0; i < list.Count; i++)
        {
            objects.Add(new OvaObject("VBD", vbdIds[i], XmlRpcValue.FromStruct(
                ("VM", XmlRpcValue.FromString("Ref:0")),
                ("VDI", XmlRpcValue.FromString(list[i].Id)),
                ("userdevice", XmlRpcValue.FromString(i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                ("type", XmlRpcValue.FromString("Disk")))));
        }

        foreach (var (id, size) in list)
        {
            objects.Add(new OvaObject("VDI", id, XmlRpcValue.FromStruct(
                ("uuid", XmlRpcValue.FromString(Guid.NewGuid().ToString())),
                ("virtual_size", XmlRpcValue.FromInt64(size)),
                ("SR", XmlRpcValue.FromString("Ref:2000")))));
        }

        objects.Add(new OvaObject("SR", "Ref:2000", XmlRpcValue.FromStruct(("PBDs", XmlRpcValue.FromArray([])), ("name_label", XmlRpcValue.FromString("Local storage")))));
        return new OvaXml(new OvaVersion("host", "2024-01-01", "8.2.1", "XCP-ng", "release/58", 1, 20, 2), objects);
    }

    public static async Task<byte[]> WriteAsync(IReadOnlyList<(string Id, SparseDisk Disk)> disks, XvaWriterOptions options)
    {
        var output = new MemoryStream();
        await XvaWriter.WriteAsync(output, Metadata(disks.Select(d => (d.Id, d.Disk.Size))), disks.Select(d => new XvaDisk(d.Id, d.Disk)).ToList(), options, CancellationToken.None);
        return output.ToArray();
    }

    public static async Task<(XvaReadResult Result, CollectingHandler Handler)> ReadAsync(byte[] xva, XvaReaderOptions? options = null)
    {
        var handler = new CollectingHandler();
        var result = await XvaReader.ReadAsync(new NonSeekableStream(new MemoryStream(xva)), handler, options, CancellationToken.None);
        return (result, handler);
    }

    internal sealed class CollectingHandler : IXvaReadHandler
    {
        public OvaXml? Metadata { get; private set; }

        public Dictionary<string, MemoryDiskSink> Disks { get; } = [];

        public List<string> Events { get; } = [];

        public ValueTask OnMetadataAsync(OvaXml metadata, CancellationToken cancellationToken)
        {
            Metadata = metadata;
            Events.Add("metadata");
            return ValueTask.CompletedTask;
        }

        public ValueTask<IDiskSink> BeginDiskAsync(XvaDiskInfo disk, CancellationToken cancellationToken)
        {
            Events.Add("begin " + disk.Id);
            var sink = new MemoryDiskSink(disk.VirtualSize);
            Disks[disk.Id] = sink;
            return ValueTask.FromResult<IDiskSink>(sink);
        }

        public ValueTask EndDiskAsync(XvaDiskInfo disk, CancellationToken cancellationToken)
        {
            Events.Add("end " + disk.Id);
            return ValueTask.CompletedTask;
        }
    }
}
