using System.Buffers.Binary;
using VmBackup.Formats.Tests.Support;
using VmBackup.Formats.Vhd;

namespace VmBackup.Formats.Tests.Vhd;

public class VhdLayoutTests
{
    private const int BlockBytes = 512 + (2 * 1024 * 1024);

    [Fact]
    public async Task BlocksStoredInReverseOrder_AreReadByBothReaders()
    {
        var data = new byte[6 * 1024 * 1024];
        new Random(77).NextBytes(data);
        var vhd = await VhdTestFiles.DynamicAsync(SparseDisk.FromBytes(data), [0, 1, 2]);

        // swap the physical places of blocks 0 and 2 and their BAT entries
        var s0 = BinaryPrimitives.ReadUInt32BigEndian(vhd.AsSpan(2048));
        var s2 = BinaryPrimitives.ReadUInt32BigEndian(vhd.AsSpan(2056));
        var block0 = vhd.AsSpan((int)s0 * 512, BlockBytes).ToArray();
        vhd.AsSpan((int)s2 * 512, BlockBytes).CopyTo(vhd.AsSpan((int)s0 * 512));
        block0.CopyTo(vhd.AsSpan((int)s2 * 512));
        BinaryPrimitives.WriteUInt32BigEndian(vhd.AsSpan(2048), s2);
        BinaryPrimitives.WriteUInt32BigEndian(vhd.AsSpan(2056), s0);

        var seekable = await VhdTestFiles.ReadAsync(vhd);
        ByteAssert.Equal(data, seekable.Data, "seekable reader, blocks out of order");
        var streamed = await VhdTestFiles.StreamReadAsync(vhd);
        ByteAssert.Equal(data, streamed.Data, "stream reader, blocks out of order");
    }

    [Fact]
    public async Task BatAfterTheBlocks_IsReadBySeekableReader_AndRefusedByStreamReader()
    {
        var data = new byte[4 * 1024 * 1024];
        new Random(78).NextBytes(data);
        var vhd = await VhdTestFiles.DynamicAsync(SparseDisk.FromBytes(data), [0, 1]);

        // move the BAT behind the blocks: [prologue][blocks][BAT][footer]
        var batBytes = 512;
        var bat = vhd.AsSpan(2048, batBytes).ToArray();
        var blocks = vhd.AsSpan(2048 + batBytes, 2 * BlockBytes).ToArray();
        var moved = new byte[vhd.Length];
        vhd.AsSpan(0, 2048).CopyTo(moved);
        blocks.CopyTo(moved.AsSpan(2048));
        var newBatOffset = 2048 + blocks.Length;
        for (var i = 0; i < 2; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bat.AsSpan(i * 4), (uint)((2048 / 512) + (i * BlockBytes / 512)));
        }

        bat.CopyTo(moved.AsSpan(newBatOffset));
        vhd.AsSpan(vhd.Length - 512).CopyTo(moved.AsSpan(moved.Length - 512));
        var header = VhdHeader.Parse(moved.AsSpan(512, 1024), 512) with { TableOffset = (ulong)newBatOffset };
        header.WriteTo(moved.AsSpan(512, 1024));

        var seekable = await VhdTestFiles.ReadAsync(moved);
        ByteAssert.Equal(data, seekable.Data, "BAT after the blocks");
        var e = await Should.ThrowAsync<VhdFormatException>(async () => await VhdTestFiles.StreamReadAsync(moved));
        e.Field.ShouldBe("BAT[0]");
        e.Message.ShouldContain("before the end of the BAT");
    }
}
