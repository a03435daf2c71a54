using VmBackup.Formats.Disks;

namespace VmBackup.Formats.Vhd;

/// <summary>Writes the sectors of one block whose bitmap bit is set (MSB first) to a sink, as maximal runs.</summary>
internal static class VhdBlockEmitter
{
    internal static async ValueTask<long> EmitAsync(IDiskSink sink, long blockStart, ReadOnlyMemory<byte> bitmap, ReadOnlyMemory<byte> data, long diskSize, CancellationToken cancellationToken)
    {
        var sectors = data.Length / 512;
        long written = 0;
        var sector = 0;
        while (sector < sectors)
        {
            if (!IsSet(bitmap.Span, sector))
            {
                sector++;
                continue;
            }

            var run = sector;
            while (run < sectors && IsSet(bitmap.Span, run))
            {
                run++;
            }

            var start = blockStart + (sector * 512L);
            var end = Math.Min(blockStart + (run * 512L), diskSize);
            if (end > start)
            {
                await sink.WriteAsync(start, data.Slice(sector * 512, (int)(end - start)), cancellationToken).ConfigureAwait(false);
                written += end - start;
            }

            sector = run;
        }

        return written;
    }

    private static bool IsSet(ReadOnlySpan<byte> bitmap, int sector) => (bitmap[sector >> 3] & (0x80 >> (sector & 7))) != 0;
}
