using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using VmBackup.TestKit;

namespace XapiSim.Tests.DataPlane;

public sealed partial class XvaKeepAliveTests
{
    private const string EmptyXxhash = "EF46DB3751D8E999";

    [Fact]
    public async Task Export_stalled_longer_than_five_seconds_gets_a_zero_byte_keep_alive_and_imports_back_identically()
    {
        var clock = new SleeplessTimeProvider();
        await using var h = await DataPlaneHarness.StartAsync(timeProvider: clock);
        var vm = h.Vm("DEV-test");
        var plain = await h.DownloadAsync("/export", "ref=" + vm, "plain.xva");
        var baseline = ChunkCounters(await ListAsync(h, plain));

        // Stall the wire inside chunk 0's data (ova.xml's size differs by a few bytes between exports: its Ref ids grow).
        h.Faults.StallAfterBytes = OvaXmlEntryEnd(plain) + 512 + 100_000;
        h.Faults.StallWithinBody = TimeSpan.FromSeconds(6);
        var stalled = await h.DownloadAsync("/export", "ref=" + vm, "stalled.xva");
        clock.Skew.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(6));
        var listing = await ListAsync(h, stalled);
        var counters = ChunkCounters(listing);

        // xapi's stream_vdi: the next counter number goes to a 0-byte entry, the disk offset stays, later names shift by one.
        counters.ShouldBe([0, 1, .. baseline.Skip(1).Select(c => c + 1)]);
        var extract = Path.Combine(h.Scratch, "x");
        Directory.CreateDirectory(extract);
        await DataPlaneHarness.RunAsync("tar", extract, "-xf", stalled);
        var keepAlive = listing[3];
        keepAlive.ShouldEndWith("/00000001");
        listing[4].ShouldBe(keepAlive + ".xxhash");
        new FileInfo(Path.Combine(extract, keepAlive)).Length.ShouldBe(0);
        (await File.ReadAllTextAsync(Path.Combine(extract, keepAlive + ".xxhash"))).ShouldBe(EmptyXxhash);
        var sum = await DataPlaneHarness.RunAsync("xxhsum", extract, "-H64", keepAlive);
        sum.Split("  ")[0].ToUpperInvariant().ShouldBe(EmptyXxhash);

        var (status, task) = await h.UploadAsync("/import", string.Empty, stalled);
        status.ShouldBe(HttpStatusCode.OK);
        (await h.WaitTaskAsync(task)).ShouldBe("success", string.Join(",", h.TaskError(task)));
        var imported = RefPattern().Match(h.TaskResult(task)).Value;
        (await h.RawSha256Async(h.FirstDiskVdi(imported))).ShouldBe(await h.RawSha256Async(h.FirstDiskVdi(vm)));
    }

    [Fact]
    public async Task Stall_before_the_disks_or_shorter_than_five_seconds_adds_no_keep_alive()
    {
        var clock = new SleeplessTimeProvider();
        await using var h = await DataPlaneHarness.StartAsync(timeProvider: clock);
        var vm = h.Vm("DEV-test");
        var baseline = ChunkCounters(await ListAsync(h, await h.DownloadAsync("/export", "ref=" + vm, "plain.xva")));

        // The keep-alive clock starts with each disk (send_one), so a stall within ova.xml does not count.
        h.Faults.StallAfterBytes = 100;
        h.Faults.StallWithinBody = TimeSpan.FromSeconds(30);
        ChunkCounters(await ListAsync(h, await h.DownloadAsync("/export", "ref=" + vm, "early.xva"))).ShouldBe(baseline);

        h.Faults.StallAfterBytes = 600_000;
        h.Faults.StallWithinBody = TimeSpan.FromSeconds(4.5);
        ChunkCounters(await ListAsync(h, await h.DownloadAsync("/export", "ref=" + vm, "short.xva"))).ShouldBe(baseline);
    }

    private static async Task<string[]> ListAsync(DataPlaneHarness h, string xva)
        => (await DataPlaneHarness.RunAsync("tar", h.Scratch, "-tf", xva)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The counters of the data entries of the (single) disk, in archive order.</summary>
    private static int[] ChunkCounters(string[] listing)
    {
        var chunks = listing.Skip(1).Where(name => !name.EndsWith(".xxhash", StringComparison.Ordinal)).ToArray();
        chunks.Select(c => c[..c.IndexOf('/', StringComparison.Ordinal)]).Distinct().Count().ShouldBe(1);
        return [.. chunks.Select(c => int.Parse(c[(c.IndexOf('/', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture))];
    }

    /// <summary>Where the first entry (ova.xml: header, data, padding) ends in a plain tar.</summary>
    private static long OvaXmlEntryEnd(string tar)
    {
        var header = new byte[512];
        using (var input = File.OpenRead(tar))
        {
            input.ReadExactly(header);
        }

        var size = Convert.ToInt64(System.Text.Encoding.ASCII.GetString(header, 124, 11), 8);
        return 512 + ((size + 511) / 512 * 512);
    }

    [GeneratedRegex(@"OpaqueRef:[0-9a-f-]+")]
    private static partial Regex RefPattern();
}
