using VmBackup.Formats.Disks;

namespace VmBackup.Formats.Tests.Support;

/// <summary>An in-memory disk receiving writes; starts as zeros or as a copy of a base disk.</summary>
internal sealed class MemoryDiskSink : IDiskSink
{
    public MemoryDiskSink(long size)
    {
        Data = new byte[size];
    }

    public MemoryDiskSink(byte[] baseDisk)
    {
        Data = (byte[])baseDisk.Clone();
    }

    public byte[] Data { get; }

    public List<DiskExtent> Writes { get; } = [];

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (offset < 0 || offset + data.Length > Data.Length)
        {
            throw new InvalidOperationException($"write [{offset}, {offset + data.Length}) outside a {Data.Length}-byte disk");
        }

        Writes.Add(new DiskExtent(offset, data.Length));
        data.Span.CopyTo(Data.AsSpan((int)offset));
        return ValueTask.CompletedTask;
    }
}
