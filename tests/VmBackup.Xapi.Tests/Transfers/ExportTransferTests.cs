using VmBackup.Xapi.Records;
using VmBackup.Xapi.Tests.Fakes;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Xapi.Tests.Transfers;

public sealed class ExportTransferTests
{
    private static readonly XenRef<VmRecord> Vm = new("OpaqueRef:vm-1");

    [Fact]
    public async Task Export_CloseDelimitedBody_IsReadToTheEnd_ThenTheTaskDecides()
    {
        var payload = TransferTestData.Payload(5 << 20);
        await using var xapi = await TransferHarness.StartAsync();
        xapi.Data = async e =>
        {
            await e.WriteHeadAsync(200, "OK", "content-type: application/octet-stream", "task-id: " + TransferHarness.TaskRef);
            for (var offset = 0; offset < payload.Length; offset += 100_000)
            {
                await e.Stream.WriteAsync(payload.AsMemory(offset, Math.Min(100_000, payload.Length - offset)));
            }

            // Like XAPI: the connection closes, the task completes a moment later.
            _ = Task.Run(async () =>
            {
                await Task.Delay(200);
                xapi.Succeed();
            });
        };
        var progress = new RecordingProgress();

        await using var export = await xapi.Transfers().ExportVmAsync(Vm, XvaCompression.Zstd, CancellationToken.None);
        export.Progress = progress;
        var received = await TransferTestData.ReadAllAsync(export);

        TransferTestData.Sha256(received).ShouldBe(TransferTestData.Sha256(payload));
        export.BytesTransferred.ShouldBe(payload.Length);
        export.IsCompleted.ShouldBeTrue();
        export.ContentLength.ShouldBeNull();
        export.Task.OpaqueRef.ShouldBe(TransferHarness.TaskRef);
        progress.Values[^1].ShouldBe(payload.Length);
        progress.Values.ShouldBeInOrder();
        progress.Values.Count.ShouldBeGreaterThan(2);
        var request = xapi.DataRequests.Single();
        request.Method.ShouldBe("GET");
        request.Path.ShouldBe("/export");
        request.Query["session_id"].ShouldBe(FakeScripts.SessionRef);
        request.Query["task_id"].ShouldBe(TransferHarness.TaskRef);
        request.Query["ref"].ShouldBe(Vm.OpaqueRef);
        request.Query["use_compression"].ShouldBe("zstd");
        xapi.Methods.ShouldContain("task.create");
        xapi.Methods.ShouldContain("task.destroy");
        xapi.Methods.ShouldNotContain("task.cancel");
        (await export.ReadAsync(new byte[16])).ShouldBe(0);
    }

    [Fact]
    public async Task Export_PrematureEof_WithFailedTask_ThrowsTheTaskError_NotEndOfStream()
    {
        await using var xapi = await TransferHarness.StartAsync();
        xapi.Data = async e =>
        {
            await e.WriteHeadAsync(200, "OK");
            await e.Stream.WriteAsync(TransferTestData.Payload(1 << 20));
            xapi.Fail("VDI_IO_ERROR", "Device I/O errors");
        };

        await using var export = await xapi.Transfers().ExportVdiAsync(new XenRef<VdiRecord>("OpaqueRef:vdi"), VdiExportFormat.Raw, null, CancellationToken.None);
        var e = await Should.ThrowAsync<XenApiException>(() => TransferTestData.ReadAllAsync(export));

        e.ErrorCode.ShouldBe("VDI_IO_ERROR");
        export.BytesTransferred.ShouldBe(1 << 20);
        export.IsCompleted.ShouldBeFalse();
        (await Should.ThrowAsync<XenApiException>(() => export.ReadAsync(new byte[16]).AsTask())).ShouldBeSameAs(e);
        (await Should.ThrowAsync<XenApiException>(() => export.CompleteAsync(CancellationToken.None))).ErrorCode.ShouldBe("VDI_IO_ERROR");
        e.Message.ShouldNotContain(FakeScripts.SessionRef);
        var request = xapi.DataRequests.Single();
        request.Query["format"].ShouldBe("raw");
        request.Query.ContainsKey("base").ShouldBeFalse();
    }

    [Fact]
    public async Task Export_HttpError_ThrowsTheTaskErrorInfo()
    {
        await using var xapi = await TransferHarness.StartAsync();
        xapi.Data = async e =>
        {
            xapi.Fail("VM_BAD_POWER_STATE", Vm.OpaqueRef, "halted", "running");
            await e.WriteTextAsync(500, "Internal Error", "<html><body><h1>HTTP 500 internal server error</h1></body></html>");
        };

        var e = await Should.ThrowAsync<XenApiException>(() => xapi.Transfers().ExportVmAsync(Vm, XvaCompression.None, CancellationToken.None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.VmBadPowerState);
        e.ErrorParameters.ShouldBe([Vm.OpaqueRef, "halted", "running"]);
        e.Message.ShouldNotContain(FakeScripts.SessionRef);
        xapi.DataRequests.Single().Query["use_compression"].ShouldBe("false");
        xapi.Methods.ShouldContain("task.destroy");
    }

    [Fact]
    public async Task Export_HttpError_WithoutTaskError_IsAConnectionErrorWithTheStatus()
    {
        await using var xapi = await TransferHarness.StartAsync();
        xapi.Data = e => e.WriteTextAsync(403, "Forbidden", "no");

        var e = await Should.ThrowAsync<XenApiConnectionException>(() => xapi.Transfers(new XenApiTransferOptions { TaskCompletionTimeout = TimeSpan.FromMilliseconds(300) })
            .ExportPoolDatabaseAsync(CancellationToken.None));

        e.HttpStatusCode.ShouldBe(403);
        e.Message.ShouldContain("/pool/xmldbdump");
        e.Message.ShouldNotContain(FakeScripts.SessionRef);
        xapi.Methods.ShouldContain("task.cancel");
        xapi.Methods.ShouldContain("task.destroy");
    }

    [Fact]
    public async Task Export_Redirect_IsFollowedWithTheSameQuery()
    {
        var payload = TransferTestData.Payload(300_000);
        await using var xapi = await TransferHarness.StartAsync();
        await using var member = new RawHttpServer(async e =>
        {
            await e.WriteHeadAsync(200, "OK");
            await e.Stream.WriteAsync(payload);
            xapi.Succeed();
        });
        xapi.Data = e => e.WriteTextAsync(302, "Found", string.Empty, "Location: " + new Uri(member.Uri, e.Request.Target));

        await using var export = await xapi.Transfers().ExportVdiAsync(new XenRef<VdiRecord>("OpaqueRef:vdi"), VdiExportFormat.Vhd, new XenRef<VdiRecord>("OpaqueRef:base"), CancellationToken.None);
        var received = await TransferTestData.ReadAllAsync(export);

        received.ShouldBe(payload);
        var followed = member.Requests.Single();
        followed.Path.ShouldBe("/export_raw_vdi");
        followed.Query["base"].ShouldBe("OpaqueRef:base");
        followed.Query["format"].ShouldBe("vhd");
        followed.Query["session_id"].ShouldBe(FakeScripts.SessionRef);
    }

    [Fact]
    public async Task Export_CancelledWhileStreaming_CancelsAndDestroysTheTask()
    {
        var release = new TaskCompletionSource();
        await using var xapi = await TransferHarness.StartAsync();
        xapi.Data = async e =>
        {
            await e.WriteHeadAsync(200, "OK");
            await e.Stream.WriteAsync(TransferTestData.Payload(64 << 10));
            await e.Stream.FlushAsync();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20));
        };

        await using var export = await xapi.Transfers().ExportHostBackupAsync(new XenRef<HostRecord>("OpaqueRef:host"), CancellationToken.None);
        var buffer = new byte[1 << 20];
        var total = 0;
        while (total < 64 << 10)
        {
            total += await export.ReadAsync(buffer);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Should.ThrowAsync<OperationCanceledException>(() => export.ReadAsync(buffer, cts.Token).AsTask());
        release.SetResult();

        xapi.Methods.ShouldContain("task.cancel");
        xapi.Methods.ShouldContain("task.destroy");
        xapi.Methods.ShouldContain("host.get_address");
        xapi.TaskStatus.ShouldBe("cancelled");
        xapi.DataRequests.Single().Path.ShouldBe("/host_backup");
        Should.Throw<InvalidOperationException>(() => export.ReadAsync(buffer).AsTask());
    }

    [Fact]
    public async Task Export_DisposedBeforeTheEnd_CancelsTheTask()
    {
        var release = new TaskCompletionSource();
        await using var xapi = await TransferHarness.StartAsync();
        xapi.Data = async e =>
        {
            await e.WriteHeadAsync(200, "OK", "Content-Length: 1000000");
            await e.Stream.WriteAsync(TransferTestData.Payload(1000));
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20));
        };

        var export = await xapi.Transfers().ExportVmMetadataAsync(Vm, exportSnapshots: false, CancellationToken.None);
        export.ContentLength.ShouldBe(1_000_000);
        (await export.ReadAsync(new byte[10])).ShouldBeGreaterThan(0);
        await export.DisposeAsync();
        release.SetResult();

        xapi.Methods.ShouldContain("task.cancel");
        xapi.Methods.ShouldContain("task.destroy");
        xapi.DataRequests.Single().Query["export_snapshots"].ShouldBe("false");
    }
}
