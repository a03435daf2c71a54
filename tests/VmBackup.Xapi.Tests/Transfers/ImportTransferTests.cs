using VmBackup.Xapi.Records;
using VmBackup.Xapi.Tests.Fakes;
using VmBackup.Xapi.Transfers;

namespace VmBackup.Xapi.Tests.Transfers;

public sealed class ImportTransferTests
{
    private const string TwoVms = "<value><array><data><value>OpaqueRef:vm-a</value><value>OpaqueRef:vm-b</value></data></array></value>";

    [Fact]
    public async Task Import_SendsContentLength_NotChunked_ToAServerThatAnswersBeforeReading()
    {
        var payload = TransferTestData.Payload(3 << 20);
        byte[]? uploaded = null;
        await using var xapi = await TransferHarness.StartAsync();
        xapi.Data = async e =>
        {
            // XAPI's handshake: the 200 headers go out before a single body byte is read.
            await e.WriteHeadAsync(200, "OK", "task-id: " + TransferHarness.TaskRef);
            uploaded = await e.ReadBodyAsync(e.Request.ContentLength!.Value);
            xapi.Succeed(TwoVms);
        };
        var progress = new RecordingProgress();

        var vms = await xapi.Transfers().ImportVmAsync(new ForwardOnlyStream(payload), payload.Length, new XenRef<SrRecord>("OpaqueRef:sr"), restore: true, force: false, progress, CancellationToken.None);

        vms.ShouldBe([new XenRef<VmRecord>("OpaqueRef:vm-a"), new XenRef<VmRecord>("OpaqueRef:vm-b")]);
        uploaded.ShouldBe(payload);
        var request = xapi.DataRequests.Single();
        request.Method.ShouldBe("PUT");
        request.Path.ShouldBe("/import");
        request.ContentLength.ShouldBe(payload.Length);
        request.Headers.ContainsKey("Transfer-Encoding").ShouldBeFalse();
        request.Query["sr_id"].ShouldBe("OpaqueRef:sr");
        request.Query["restore"].ShouldBe("true");
        request.Query["force"].ShouldBe("false");
        request.Query["task_id"].ShouldBe(TransferHarness.TaskRef);
        request.Query["session_id"].ShouldBe(FakeScripts.SessionRef);
        progress.Values[^1].ShouldBe(payload.Length);
        progress.Values.Count.ShouldBeGreaterThan(1);
        xapi.Methods.ShouldContain("task.destroy");
        xapi.HandlerErrors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Import_ToAServerThatReadsTheBodyFirst_StillWorks()
    {
        var payload = TransferTestData.Payload(200_000);
        byte[]? uploaded = null;
        await using var xapi = await TransferHarness.StartAsync();
        xapi.Data = async e =>
        {
            uploaded = await e.ReadBodyAsync(e.Request.ContentLength!.Value);
            xapi.Succeed("<value>OpaqueRef:vdi-1</value>");
            await e.WriteHeadAsync(200, "OK");
        };

        var vdi = await xapi.Transfers(new XenApiTransferOptions { HeadersBeforeBodyTimeout = TimeSpan.FromMilliseconds(100) })
            .ImportVdiAsync(new XenRef<VdiRecord>("OpaqueRef:vdi-1"), new MemoryStream(payload), payload.Length, VdiImportFormat.Vhd, null, CancellationToken.None);

        vdi.OpaqueRef.ShouldBe("OpaqueRef:vdi-1");
        uploaded.ShouldBe(payload);
        var request = xapi.DataRequests.Single();
        request.Path.ShouldBe("/import_raw_vdi");
        request.Query["format"].ShouldBe("vhd");
        request.Query["vdi"].ShouldBe("OpaqueRef:vdi-1");
    }

    [Fact]
    public async Task Import_RedirectBeforeTheBody_ResendsANonSeekableStreamToTheLocation()
    {
        var payload = TransferTestData.Payload(2 << 20);
        byte[]? uploaded = null;
        await using var xapi = await TransferHarness.StartAsync();
        await using var member = new RawHttpServer(async e =>
        {
            await e.WriteHeadAsync(200, "OK");
            uploaded = await e.ReadBodyAsync(e.Request.ContentLength!.Value);
            xapi.Succeed(TwoVms);
        });
        xapi.Data = e => e.WriteTextAsync(302, "Found", string.Empty, "Location: " + new Uri(member.Uri, e.Request.Target));

        var vms = await xapi.Transfers().ImportVmAsync(new ForwardOnlyStream(payload), payload.Length, null, restore: false, force: false, null, CancellationToken.None);

        vms.Count.ShouldBe(2);
        uploaded.ShouldBe(payload);
        var resent = member.Requests.Single();
        resent.Method.ShouldBe("PUT");
        resent.ContentLength.ShouldBe(payload.Length);
        resent.Query.ContainsKey("sr_id").ShouldBeFalse();
        resent.Query["task_id"].ShouldBe(TransferHarness.TaskRef);
    }

    [Fact]
    public async Task Import_FailingWhileReading_ThrowsTheTaskError()
    {
        var payload = TransferTestData.Payload(4 << 20);
        await using var xapi = await TransferHarness.StartAsync();
        xapi.Data = async e =>
        {
            await e.WriteHeadAsync(200, "OK");
            await e.ReadBodyAsync(100_000);
            xapi.Fail("IMPORT_ERROR", "Unexpected file in tar");
        };

        var e = await Should.ThrowAsync<XenApiException>(() => xapi.Transfers().ImportVmAsync(new MemoryStream(payload), null, null, false, false, null, CancellationToken.None));

        e.ErrorCode.ShouldBe("IMPORT_ERROR");
        e.Message.ShouldNotContain(FakeScripts.SessionRef);
        xapi.DataRequests.Single().ContentLength.ShouldBe(payload.Length);
    }

    [Fact]
    public async Task Import_HttpErrorBeforeTheBody_ThrowsTheTaskError()
    {
        await using var xapi = await TransferHarness.StartAsync();
        xapi.Data = e =>
        {
            xapi.Fail("SR_OPERATION_NOT_SUPPORTED", "OpaqueRef:iso");
            return e.WriteTextAsync(400, "Bad Request", string.Empty);
        };

        var e = await Should.ThrowAsync<XenApiException>(() => xapi.Transfers().ImportVmAsync(new ForwardOnlyStream(new byte[5000]), 5000, new XenRef<SrRecord>("OpaqueRef:iso"), false, false, null, CancellationToken.None));

        e.ErrorCode.ShouldBe("SR_OPERATION_NOT_SUPPORTED");
    }

    [Fact]
    public async Task Import_Cancelled_CancelsTheTask()
    {
        var release = new TaskCompletionSource();
        await using var xapi = await TransferHarness.StartAsync();
        xapi.Data = async e =>
        {
            await e.WriteHeadAsync(200, "OK");
            await e.ReadBodyAsync(10_000);
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20)); // stop reading: the client blocks on a full socket
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Should.ThrowAsync<OperationCanceledException>(() => xapi.Transfers().RestorePoolDatabaseAsync(new MemoryStream(new byte[64 << 20]), 64 << 20, dryRun: true, null, cts.Token));
        release.SetResult();

        xapi.Methods.ShouldContain("task.cancel");
        xapi.Methods.ShouldContain("task.destroy");
        xapi.DataRequests.Single().Query["dry_run"].ShouldBe("true");
    }

    [Fact]
    public async Task Import_UnknownLengthOfANonSeekableStream_IsRefused()
    {
        await using var xapi = await TransferHarness.StartAsync();

        await Should.ThrowAsync<ArgumentException>(() => xapi.Transfers().ImportVmMetadataAsync(new ForwardOnlyStream(new byte[10]), null, false, false, true, null, CancellationToken.None));

        xapi.Methods.ShouldNotContain("task.create");
    }

    [Fact]
    public void TaskResult_RefsAreDecodedFromArrayRefOrVoid()
    {
        XenApiTransfers.Refs<VmRecord>(XenApiSession.DecodeTaskResult(TwoVms)).Select(r => r.OpaqueRef).ShouldBe(["OpaqueRef:vm-a", "OpaqueRef:vm-b"]);
        XenApiTransfers.Refs<VdiRecord>(XenApiSession.DecodeTaskResult("<value>OpaqueRef:x</value>")).Single().OpaqueRef.ShouldBe("OpaqueRef:x");
        XenApiTransfers.Refs<VmRecord>(XenApiSession.DecodeTaskResult(string.Empty)).ShouldBeEmpty();
    }
}
