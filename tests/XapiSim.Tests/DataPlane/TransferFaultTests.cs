using System.Net;

namespace XapiSim.Tests.DataPlane;

public sealed class TransferFaultTests
{
    [Fact]
    public async Task Cut_fail_corrupt_and_stall_knobs_act_on_exports()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var vm = h.Vm("DEV-test");

        h.Faults.CutExportAfterBytes = 100_000;
        using (var response = await h.Http.GetAsync(h.Url("/export", "ref=" + vm), HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            using var sink = new MemoryStream();
            // A close-delimited body: the client sees a clean end of stream after exactly the cut.
            try
            {
                await body.CopyToAsync(sink);
            }
            catch (HttpRequestException)
            {
            }
            catch (IOException)
            {
            }

            sink.Length.ShouldBe(100_000);
        }

        h.Faults.Reset();
        h.Faults.FailTaskWith = ["SR_BACKEND_FAILURE_44", "", "insufficient space"];
        var task = h.Pool.CreateTask("export", string.Empty);
        using (var response = await h.Http.GetAsync(h.Url("/export", $"ref={vm}&task_id={task}")))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        }

        h.TaskError(task).ShouldBe(["SR_BACKEND_FAILURE_44", "", "insufficient space"]);

        h.Faults.Reset();
        h.Faults.CorruptChunk = 1;
        var xva = await h.DownloadAsync("/export", "ref=" + vm, "bad.xva");
        var (_, importTask) = await h.UploadAsync("/import", string.Empty, xva);
        (await h.WaitTaskAsync(importTask)).ShouldBe("failure");
        h.TaskError(importTask)[0].ShouldBe("IMPORT_ERROR");
        var vms = h.Pool.Database.Count("VM");
        var (_, forced) = await h.UploadAsync("/import", "force=true", xva);
        (await h.WaitTaskAsync(forced)).ShouldBe("success");
        h.Pool.Database.Count("VM").ShouldBe(vms + 1);

        h.Faults.Reset();
        h.Faults.StallBeforeBody = TimeSpan.FromSeconds(1);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await h.DownloadAsync("/export_raw_vdi", "format=raw&vdi=" + h.FirstDiskVdi(vm), "slow.raw");
        watch.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public async Task Truncated_xva_upload_fails_with_premature_eof_and_leaves_nothing()
    {
        await using var h = await DataPlaneHarness.StartAsync();
        var xva = await h.DownloadAsync("/export", "ref=" + h.Vm("DEV-test"), "t.xva");
        var bytes = await File.ReadAllBytesAsync(xva);
        var cut = Path.Combine(h.Scratch, "cut.xva");
        await File.WriteAllBytesAsync(cut, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var vms = h.Pool.Database.Count("VM");
        var vdis = h.Pool.Database.Count("VDI");
        var (_, task) = await h.UploadAsync("/import", string.Empty, cut);
        (await h.WaitTaskAsync(task)).ShouldBe("failure");
        h.TaskError(task).ShouldBe(["IMPORT_ERROR_PREMATURE_EOF"]);
        h.Pool.Database.Count("VM").ShouldBe(vms);
        h.Pool.Database.Count("VDI").ShouldBe(vdis);
    }
}
