using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace XapiSim.Tests.DataPlane;

public sealed partial class XvaExportImportTests
{
    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public async Task Export_lists_in_xapi_order_checksums_match_and_imports_back_identically(string compression)
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var vm = h.Vm("DEV-test");
        var xva = await h.DownloadAsync("/export", $"uuid={h.Uuid("VM", vm)}&use_compression={compression}", "vm.xva");
        var plain = xva;
        if (compression == "gzip")
        {
            await DataPlaneHarness.RunAsync("gzip", h.Scratch, "-d", "-k", "-S", ".xva", xva);
            plain = Path.Combine(h.Scratch, "vm");
        }
        else if (compression == "zstd")
        {
            plain = Path.Combine(h.Scratch, "vm.tar");
            await DataPlaneHarness.RunAsync("zstd", h.Scratch, "-d", "-q", "-o", plain, xva);
        }

        var listing = (await DataPlaneHarness.RunAsync("tar", h.Scratch, "-tf", plain)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        listing[0].ShouldBe("ova.xml");
        listing.Length.ShouldBeGreaterThan(3);
        for (var i = 1; i < listing.Length; i += 2)
        {
            ChunkName().IsMatch(listing[i]).ShouldBeTrue(listing[i]);
            listing[i + 1].ShouldBe(listing[i] + ".xxhash");
        }

        var chunks = listing.Skip(1).Where((_, i) => i % 2 == 0).ToArray();
        var counters = chunks.Select(c => int.Parse(c[(c.IndexOf('/', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture)).ToArray();
        counters[0].ShouldBe(0);
        counters[^1].ShouldBe(63);
        counters.Length.ShouldBeLessThan(64);

        var extract = Path.Combine(h.Scratch, "x");
        Directory.CreateDirectory(extract);
        await DataPlaneHarness.RunAsync("tar", extract, "-xf", plain);
        // Every chunk, in one xxhsum run: "<hash>  <file>" per line.
        var sums = (await DataPlaneHarness.RunAsync("xxhsum", extract, ["-H64", .. chunks])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        sums.Length.ShouldBe(chunks.Length);
        foreach (var line in sums)
        {
            var parts = line.Split("  ", 2);
            var stored = await File.ReadAllTextAsync(Path.Combine(extract, parts[1] + ".xxhash"));
            stored.ShouldBe(parts[0].ToUpperInvariant(), parts[1]);
        }

        var (status, task) = await h.UploadAsync("/import", "sr_uuid=" + h.Uuid("SR", h.Pool.Database.FindByNameLabel("SR", "NFS shared")[0]), xva);
        status.ShouldBe(HttpStatusCode.OK);
        (await h.WaitTaskAsync(task)).ShouldBe("success", string.Join(",", h.TaskError(task)));
        var result = h.TaskResult(task);
        var newVm = RefPattern().Match(result).Value;
        result.ShouldStartWith("<value><array><data><value>OpaqueRef:");
        ((IReadOnlyDictionary<string, object>)h.Pool.Database.Get("task", task, "other_config"))["object_creation"].ShouldBe("complete");
        h.Pool.Database.GetString("VM", newVm, "name_label").ShouldBe("DEV-test");
        h.Uuid("VM", newVm).ShouldNotBe(h.Uuid("VM", vm));
        (await h.RawSha256Async(h.FirstDiskVdi(newVm))).ShouldBe(await h.RawSha256Async(h.FirstDiskVdi(vm)));
    }

    [Fact]
    public async Task Snapshot_export_imports_as_a_template_and_restore_refuses_an_older_copy()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var snapshot = h.Vm("PROD-web before upgrade");
        var xva = await h.DownloadAsync("/export", "ref=" + snapshot, "snap.xva");
        var (_, refused) = await h.UploadAsync("/import", "restore=true", xva);
        (await h.WaitTaskAsync(refused)).ShouldBe("failure");
        // xapi's assert_can_restore_backup runs first: the snapshot, exported as a plain VM, has PROD-web's MAC seed.
        h.TaskError(refused)[0].ShouldBe("DUPLICATE_MAC_SEED");
        var (status, task) = await h.UploadAsync("/import", string.Empty, xva);
        status.ShouldBe(HttpStatusCode.OK);
        (await h.WaitTaskAsync(task)).ShouldBe("success", string.Join(",", h.TaskError(task)));
        var imported = RefPattern().Match(h.TaskResult(task)).Value;
        ((bool)h.Pool.Database.Get("VM", imported, "is_a_template")).ShouldBeTrue();
        ((bool)h.Pool.Database.Get("VM", imported, "is_a_snapshot")).ShouldBeFalse();
    }

    [Fact]
    public async Task Import_finds_networks_by_name_then_bridge_and_creates_a_missing_one_as_import_ml()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var db = h.Pool.Database;
        await h.CallAsync("VM.hard_shutdown", h.Vm("PROD-db"));
        var xva = await h.DownloadAsync("/export", "ref=" + h.Vm("PROD-db"), "db.xva");
        var backup = db.FindByNameLabel("network", "Backup network").Single();

        // Renamed, same bridge: found by bridge.
        db.Set("network", backup, "name_label", "Renamed");
        NetworksOfImport(h, await ImportAsync(h, xva)).ShouldBe(["Pool-wide network associated with eth0", "Renamed"]);

        // Renamed and on another bridge: a new network of the record's name, on a bridge xapi names.
        db.Set("network", backup, "bridge", "xenbr9");
        var before = db.GetAll("network").Count;
        var vm = await ImportAsync(h, xva);
        NetworksOfImport(h, vm).ShouldBe(["Pool-wide network associated with eth0", "Backup network"]);
        db.GetAll("network").Count.ShouldBe(before + 1);
        var created = db.FindByNameLabel("network", "Backup network").Single();
        db.GetString("network", created, "bridge").ShouldBe("xapi0");
        ((long)db.Get("network", created, "MTU")).ShouldBe(1500);
    }

    private static async Task<string> ImportAsync(DataPlaneHarness h, string xva)
    {
        var (_, task) = await h.UploadAsync("/import", string.Empty, xva);
        (await h.WaitTaskAsync(task)).ShouldBe("success", string.Join(",", h.TaskError(task)));
        return RefPattern().Match(h.TaskResult(task)).Value;
    }

    private static List<string> NetworksOfImport(DataPlaneHarness h, string vm)
    {
        var db = h.Pool.Database;
        return [.. db.GetStrings("VM", vm, "VIFs").OrderBy(v => db.GetString("VIF", v, "device"), StringComparer.Ordinal)
            .Select(v => db.GetString("network", db.GetString("VIF", v, "network"), "name_label"))];
    }

    [Fact]
    public async Task Xo_written_xva_imports_with_identical_disk()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var raw = Path.Combine(h.Scratch, "disk.raw");
        var data = new byte[8 << 20];
        new Random(7).NextBytes(data.AsSpan(1 << 20, 2 << 20));
        data.AsSpan(5 << 20, 4096).Fill(0x5A);
        await File.WriteAllBytesAsync(raw, data);
        var xva = Path.Combine(h.Scratch, "xo.xva");
        var network = h.Pool.Database.GetAll("network")[0];
        await DataPlaneHarness.RunAsync("node", ThirdParty.ThirdPartyClient.Folder, "dataplane-xo-xva.mjs", raw, xva, h.Uuid("network", network));
        var (status, task) = await h.UploadAsync("/import", string.Empty, xva);
        status.ShouldBe(HttpStatusCode.OK);
        (await h.WaitTaskAsync(task)).ShouldBe("success", string.Join(",", h.TaskError(task)));
        var vm = RefPattern().Match(h.TaskResult(task)).Value;
        h.Pool.Database.GetString("VM", vm, "name_label").ShouldBe("xo-written");
        (await h.RawSha256Async(h.FirstDiskVdi(vm))).ShouldBe(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data)));
    }

    [Fact]
    public async Task Export_metadata_is_a_tar_with_only_ova_xml_and_a_content_length()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        using var response = await h.Http.GetAsync(h.Url("/export_metadata", "uuid=" + h.Uuid("VM", h.Vm("PROD-web"))));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Version.ShouldBe(new Version(1, 0));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        response.Content.Headers.ContentLength.ShouldBe(bytes.Length);
        var file = Path.Combine(h.Scratch, "m.tar");
        await File.WriteAllBytesAsync(file, bytes);
        (await DataPlaneHarness.RunAsync("tar", h.Scratch, "-tf", file)).Trim().ShouldBe("ova.xml");
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        text.ShouldContain("PROD-web before upgrade");
    }

    [GeneratedRegex(@"^Ref:\d+/\d{8}$")]
    private static partial Regex ChunkName();

    [GeneratedRegex(@"OpaqueRef:[0-9a-f-]+")]
    private static partial Regex RefPattern();
}
