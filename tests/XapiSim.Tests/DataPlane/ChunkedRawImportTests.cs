using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace XapiSim.Tests.DataPlane;

/// <summary><c>PUT /import_raw_vdi?format=raw&amp;chunked</c>: vhd-tool's chunked protocol (u64 LE offset, u32 LE length, data; (0, 0) ends).</summary>
public sealed class ChunkedRawImportTests
{
    [Fact]
    public async Task Two_ranges_change_exactly_those_bytes()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var vdi = h.FirstDiskVdi(h.Vm("DEV-build"));
        var expected = await File.ReadAllBytesAsync(await h.DownloadAsync("/export_raw_vdi", "format=raw&vdi=" + vdi, "before.raw"));
        var before = Convert.ToHexString(SHA256.HashData(expected));
        var small = Random(1, 5000);
        var large = Random(2, (3 << 20) + 17); // more than the reader's 1 MiB buffer
        var body = Body(h, "two.bin", [((1 << 20) + 100, small), ((7 << 20) - 10, large)]);
        small.CopyTo(expected, (1 << 20) + 100);
        large.CopyTo(expected, (7 << 20) - 10);

        var (status, task) = await h.UploadAsync("/import_raw_vdi", $"format=raw&chunked&vdi={h.Uuid("VDI", vdi)}", body);

        status.ShouldBe(HttpStatusCode.OK);
        (await h.WaitTaskAsync(task)).ShouldBe("success", string.Join(",", h.TaskError(task)));
        h.TaskResult(task).ShouldBe($"<value>{vdi}</value>");
        var after = await h.RawSha256Async(vdi);
        after.ShouldNotBe(before);
        after.ShouldBe(Convert.ToHexString(SHA256.HashData(expected)));
    }

    [Theory]
    [InlineData(6)] // inside the first record header
    [InlineData(12 + 2000)] // inside the first record's data
    [InlineData(12 + 4096)] // after a whole record, without the (0, 0) end
    public async Task Truncated_body_fails_the_task_with_a_device_io_error(int keep)
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var vdi = h.FirstDiskVdi(h.Vm("DEV-build"));
        var whole = await File.ReadAllBytesAsync(Body(h, "whole.bin", [(4096, Random(3, 4096))]));
        var cut = Path.Combine(h.Scratch, "cut.bin");
        await File.WriteAllBytesAsync(cut, whole.AsSpan(0, keep).ToArray());
        var task = h.Pool.CreateTask("import", string.Empty);

        await h.UploadAsync("/import_raw_vdi", $"format=raw&chunked&vdi={vdi}&task_id={task}", cut);

        (await h.WaitTaskAsync(task)).ShouldBe("failure");
        h.TaskError(task).ShouldBe(["VDI_IO_ERROR", "Device I/O errors"]);
    }

    [Fact]
    public async Task Range_past_the_end_writes_up_to_the_end_then_fails()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var vdi = h.FirstDiskVdi(h.Vm("DEV-build"));
        var disk = h.Pool.DiskOf(vdi)!;
        var size = h.Pool.Disks.GetVirtualSize(disk);
        var data = Random(4, 8192);
        var body = Body(h, "past.bin", [(size - 4096, data)]);
        var task = h.Pool.CreateTask("import", string.Empty);

        await h.UploadAsync("/import_raw_vdi", $"format=raw&chunked&vdi={vdi}&task_id={task}", body);

        (await h.WaitTaskAsync(task)).ShouldBe("failure");
        h.TaskError(task).ShouldBe(["VDI_IO_ERROR", "Device I/O errors"]);
        var tail = new byte[4096];
        h.Pool.Disks.Read(disk, size - 4096, tail);
        tail.ShouldBe(data.AsSpan(0, 4096).ToArray());
    }

    [Theory]
    [InlineData("vhd")]
    [InlineData("tar")]
    public async Task Chunked_with_another_format_than_raw_is_404_before_the_body(string format)
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var vdi = h.FirstDiskVdi(h.Vm("DEV-build"));
        var task = h.Pool.CreateTask("import", string.Empty);
        using var content = new ByteArrayContent([]);
        using var response = await h.Http.PutAsync(h.Url("/import_raw_vdi", $"format={format}&chunked&vdi={vdi}&task_id={task}"), content);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Version.ShouldBe(new Version(1, 0));
        h.TaskError(task).ShouldBe(["INTERNAL_ERROR", "Cannot handle chunked VHD"]);
    }

    private static byte[] Random(int seed, int length)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Writes the records and the (0, 0) end record to a scratch file.</summary>
    private static string Body(DataPlaneHarness h, string name, IEnumerable<(long Offset, byte[] Data)> records)
    {
        var file = Path.Combine(h.Scratch, name);
        using var output = File.Create(file);
        var header = new byte[12];
        foreach (var (offset, data) in records)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)offset);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)data.Length);
            output.Write(header);
            output.Write(data);
        }

        output.Write(new byte[12]);
        return file;
    }
}
