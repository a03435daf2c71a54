using System.Net;
using System.Text.Json;

namespace XapiSim.Tests.DataPlane;

public sealed class RawVdiTests
{
    [Fact]
    public async Task Vhd_export_is_read_by_qemu_and_vhd_lib_and_converts_to_the_raw_export()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var vdi = h.FirstDiskVdi(h.Vm("DEV-test"));
        var vhd = await h.DownloadAsync("/export_raw_vdi", "format=vhd&vdi=" + h.Uuid("VDI", vdi), "d.vhd");
        var raw = await h.DownloadAsync("/export_raw_vdi", "format=raw&vdi=" + vdi, "d.raw");
        new FileInfo(raw).Length.ShouldBe(64L << 20);
        var info = await DataPlaneHarness.RunAsync("qemu-img", h.Scratch, "info", "-f", "vpc", "--output=json", vhd);
        // qemu sizes a "caml" VHD by its CHS geometry, which may round the 64 MiB down slightly.
        JsonDocument.Parse(info).RootElement.GetProperty("virtual-size").GetInt64().ShouldBeInRange((64L << 20) - (1L << 20), 64L << 20);
        var converted = Path.Combine(h.Scratch, "c.raw");
        await DataPlaneHarness.RunAsync("qemu-img", h.Scratch, "convert", "-f", "vpc", "-O", "raw", vhd, converted);
        var a = await File.ReadAllBytesAsync(raw);
        var b = await File.ReadAllBytesAsync(converted);
        b.Length.ShouldBeGreaterThan(a.Length - (1 << 20));
        b.AsSpan().SequenceEqual(a.AsSpan(0, b.Length)).ShouldBeTrue();
        var lib = JsonDocument.Parse((await DataPlaneHarness.RunAsync("node", ThirdParty.ThirdPartyClient.Folder, "dataplane-vhd-info.mjs", vhd)).Trim().Split('\n')[^1]).RootElement;
        lib.GetProperty("diskType").GetInt32().ShouldBe(3);
        lib.GetProperty("currentSize").GetInt64().ShouldBe(64L << 20);
        lib.GetProperty("blockSize").GetInt32().ShouldBe(2 << 20);
        lib.GetProperty("tableOffset").GetInt64().ShouldBe(2048);
        lib.GetProperty("allocatedBlocks").GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Differencing_vhd_applied_to_a_clone_of_the_base_reproduces_the_newer_disk()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var db = h.Pool.Database;
        var vm = h.Vm("DEV-test");
        var vdi = h.FirstDiskVdi(vm);
        var objects = new XapiSim.Model.Pool.PoolObjects(h.Pool);
        var baseSnap = XapiSim.Model.Pool.VmCopies.SnapshotVdi(objects, vdi);
        var disk = h.Pool.DiskOf(vdi)!;
        h.Pool.Disks.Write(disk, 3 << 20, Enumerable.Repeat((byte)0xA7, 300_000).ToArray());
        h.Pool.Disks.Write(disk, 40 << 20, Enumerable.Repeat((byte)0x11, 4096).ToArray());
        var newSnap = XapiSim.Model.Pool.VmCopies.SnapshotVdi(objects, vdi);
        var delta = await h.DownloadAsync("/export_raw_vdi", $"format=vhd&vdi={newSnap}&base={h.Uuid("VDI", baseSnap)}", "delta.vhd");
        var lib = JsonDocument.Parse((await DataPlaneHarness.RunAsync("node", ThirdParty.ThirdPartyClient.Folder, "dataplane-vhd-info.mjs", delta)).Trim().Split('\n')[^1]).RootElement;
        lib.GetProperty("diskType").GetInt32().ShouldBe(4);
        lib.GetProperty("allocatedBlocks").EnumerateArray().Select(e => e.GetInt32()).ShouldBe([1, 20]);
        var copy = XapiSim.Model.Pool.VmCopies.CloneVdi(objects, baseSnap);
        (await h.RawSha256Async(copy)).ShouldNotBe(await h.RawSha256Async(newSnap));
        var (status, task) = await h.UploadAsync("/import_raw_vdi", "format=vhd&vdi=" + copy, delta);
        status.ShouldBe(HttpStatusCode.OK);
        (await h.WaitTaskAsync(task)).ShouldBe("success", string.Join(",", h.TaskError(task)));
        h.TaskResult(task).ShouldBe($"<value>{copy}</value>");
        (await h.RawSha256Async(copy)).ShouldBe(await h.RawSha256Async(newSnap));
        db.Exists(copy, "VDI").ShouldBeTrue();
    }

    [Fact]
    public async Task Qemu_made_vhd_imports_only_its_written_range()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var file = Path.Combine(h.Scratch, "q.vhd");
        await DataPlaneHarness.RunAsync("qemu-img", h.Scratch, "create", "-f", "vpc", "-o", "subformat=dynamic", file, "16M");
        await DataPlaneHarness.RunAsync("qemu-io", h.Scratch, "-f", "vpc", "-c", "write -P 0x5a 1M 3M", file);
        var vdi = h.FirstDiskVdi(h.Vm("DEV-build"));
        var (status, task) = await h.UploadAsync("/import_raw_vdi", "format=vhd&vdi=" + vdi, file);
        status.ShouldBe(HttpStatusCode.OK);
        (await h.WaitTaskAsync(task)).ShouldBe("success", string.Join(",", h.TaskError(task)));
        var disk = h.Pool.DiskOf(vdi)!;
        var buffer = new byte[5 << 20];
        h.Pool.Disks.Read(disk, 0, buffer);
        buffer.AsSpan(1 << 20, 3 << 20).ContainsAnyExcept((byte)0x5a).ShouldBeFalse();
    }

    [Fact]
    public async Task Raw_import_into_an_sr_creates_an_imported_vdi_and_tar_export_has_chunks()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var file = Path.Combine(h.Scratch, "r.raw");
        var data = new byte[3 << 20];
        new Random(3).NextBytes(data);
        await File.WriteAllBytesAsync(file, data);
        var sr = h.Pool.Database.FindByNameLabel("SR", "NFS shared")[0];
        var (status, task) = await h.UploadAsync("/import_raw_vdi", "sr_id=" + sr, file);
        status.ShouldBe(HttpStatusCode.OK);
        (await h.WaitTaskAsync(task)).ShouldBe("success", string.Join(",", h.TaskError(task)));
        var vdi = h.TaskResult(task)["<value>".Length..^"</value>".Length];
        h.Pool.Database.GetString("VDI", vdi, "name_label").ShouldBe("Imported VDI");
        (await h.RawSha256Async(vdi)).ShouldBe(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data)));
        var tar = await h.DownloadAsync("/export_raw_vdi", "format=tar&vdi=" + vdi, "v.tar");
        var listing = (await DataPlaneHarness.RunAsync("tar", h.Scratch, "-tf", tar)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        listing.ShouldBe(["vdi/00000000", "vdi/00000000.xxhash", "vdi/00000001", "vdi/00000001.xxhash", "vdi/00000002", "vdi/00000002.xxhash"]);
    }

    [Fact]
    public async Task Unknown_format_is_404_and_the_task_fails()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var vdi = h.FirstDiskVdi(h.Vm("DEV-test"));
        var task = h.Pool.CreateTask("t", string.Empty);
        using var response = await h.Http.GetAsync(h.Url("/export_raw_vdi", $"format=bogus&vdi={vdi}&task_id={task}"));
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        h.TaskError(task).ShouldBe(["INTERNAL_ERROR", "Unknown format bogus"]);
    }
}
