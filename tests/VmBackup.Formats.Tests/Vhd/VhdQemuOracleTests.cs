using System.Text.Json;
using VmBackup.Formats.Tests.Support;
using VmBackup.Formats.Vhd;

namespace VmBackup.Formats.Tests.Vhd;

public class VhdQemuOracleTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 6)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task OurDynamicVhd_IsAcceptedByQemuImg_AndConvertsToTheSameRaw(int seed)
    {
        var disk = VhdTestFiles.ChsExactDisk(seed);
        using var dir = new TempDirectory();
        var vhdPath = dir.File("disk.vhd");
        await File.WriteAllBytesAsync(vhdPath, await VhdTestFiles.DynamicAsync(disk));

        using var info = JsonDocument.Parse(ExternalTool.Run("qemu-img", "info", "-f", "vpc", "--output=json", vhdPath));
        info.RootElement.GetProperty("format").GetString().ShouldBe("vpc");
        info.RootElement.GetProperty("virtual-size").GetInt64().ShouldBe(disk.Size);

        var rawPath = dir.File("disk.raw");
        ExternalTool.Run("qemu-img", "convert", "-f", "vpc", "-O", "raw", vhdPath, rawPath);
        ByteAssert.Equal(disk.Data, await File.ReadAllBytesAsync(rawPath), $"qemu-img convert, seed {seed}");
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public async Task OurDynamicVhd_AnySize_ConvertsWhenQemuUsesTheFooterSize(int seed)
    {
        var disk = SparseDisk.Random(seed, maxMiB: 12);
        using var dir = new TempDirectory();
        var vhdPath = dir.File("disk.vhd");
        await File.WriteAllBytesAsync(vhdPath, await VhdTestFiles.DynamicAsync(disk));
        var rawPath = dir.File("disk.raw");
        ExternalTool.Run("qemu-img", "convert", "--image-opts", $"driver=vpc,force_size_calc=current_size,file.filename={vhdPath}", "-O", "raw", rawPath);
        ByteAssert.Equal(disk.Data, await File.ReadAllBytesAsync(rawPath), $"qemu-img convert (current_size), seed {seed}");
    }

    [Fact]
    public async Task QemuCreatedVhd_WrittenWithQemuIo_IsReadCorrectly()
    {
        using var dir = new TempDirectory();
        var vhdPath = dir.File("qemu.vhd");
        ExternalTool.Run("qemu-img", "create", "-f", "vpc", vhdPath, "8M");
        ExternalTool.Run("qemu-io", "-f", "vpc", "-c", "write -P 0x5a 1M 3M", vhdPath);
        var bytes = await File.ReadAllBytesAsync(vhdPath);

        var reader = await VhdReader.OpenAsync(new MemoryStream(bytes), CancellationToken.None);
        reader.Footer.DiskType.ShouldBe(VhdDiskType.Dynamic);
        reader.Header!.TableOffset.ShouldNotBe(2048UL, "qemu puts its BAT elsewhere than XAPI");
        var expected = new byte[reader.VirtualSize];
        expected.AsSpan(1024 * 1024, 3 * 1024 * 1024).Fill(0x5a);
        var sink = new MemoryDiskSink(reader.VirtualSize);
        await reader.ReadAsync(sink, CancellationToken.None);
        ByteAssert.Equal(expected, sink.Data, "seekable reader on a qemu VHD");
        reader.AllocatedBlocks.ShouldBe([0L, 1L]);

        var streamed = await VhdTestFiles.StreamReadAsync(bytes);
        ByteAssert.Equal(expected, streamed.Data, "stream reader on a qemu VHD");

        // cross-check with qemu's own raw conversion
        var rawPath = dir.File("qemu.raw");
        ExternalTool.Run("qemu-img", "convert", "-f", "vpc", "-O", "raw", vhdPath, rawPath);
        ByteAssert.Equal(await File.ReadAllBytesAsync(rawPath), sink.Data, "qemu-img convert of the qemu VHD");
    }

    [Fact]
    public async Task QemuFixedVhd_IsRead()
    {
        var disk = SparseDisk.Random(31, maxMiB: 5);
        using var dir = new TempDirectory();
        var rawPath = dir.File("in.raw");
        await File.WriteAllBytesAsync(rawPath, disk.Data);
        var vhdPath = dir.File("fixed.vhd");
        ExternalTool.Run("qemu-img", "convert", "-f", "raw", "-O", "vpc", "-o", "subformat=fixed,force_size=on", rawPath, vhdPath);
        var reader = await VhdReader.OpenAsync(File.OpenRead(vhdPath), CancellationToken.None);
        reader.Footer.DiskType.ShouldBe(VhdDiskType.Fixed);
        var sink = new MemoryDiskSink(reader.VirtualSize);
        await reader.ReadAsync(sink, CancellationToken.None);
        ByteAssert.Equal(disk.Data, sink.Data, "fixed VHD");
    }

    [Fact]
    public async Task QemuConvertedDynamicVhd_OfRandomDisk_IsRead()
    {
        var disk = SparseDisk.Random(32, maxMiB: 12);
        using var dir = new TempDirectory();
        var rawPath = dir.File("in.raw");
        await File.WriteAllBytesAsync(rawPath, disk.Data);
        var vhdPath = dir.File("dyn.vhd");
        ExternalTool.Run("qemu-img", "convert", "-f", "raw", "-O", "vpc", "-o", "subformat=dynamic,force_size=on", rawPath, vhdPath);
        var sink = await VhdTestFiles.ReadAsync(await File.ReadAllBytesAsync(vhdPath));
        ByteAssert.Equal(disk.Data, sink.Data.AsSpan(0, disk.Data.Length), "qemu dynamic VHD");
    }
}
