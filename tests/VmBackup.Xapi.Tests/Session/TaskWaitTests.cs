using VmBackup.Xapi.Records;
using VmBackup.Xapi.Tests.Fakes;

namespace VmBackup.Xapi.Tests.Session;

public sealed class TaskWaitTests
{
    private const string TaskRef = "OpaqueRef:task-1";

    private static Dictionary<string, object?> TaskSnapshot(string status, string result = "", string[]? errorInfo = null) => new()
    {
        ["uuid"] = "task-uuid",
        ["name_label"] = "Async.VM.snapshot",
        ["status"] = status,
        ["progress"] = status == "pending" ? 0.5 : 1.0,
        ["result"] = result,
        ["error_info"] = errorInfo ?? [],
    };

    private static Dictionary<string, object?> Batch(string token, params Dictionary<string, object?>[] events) => new()
    {
        ["events"] = events,
        ["valid_ref_counts"] = new Dictionary<string, object?> { ["task"] = 1 },
        ["token"] = token,
    };

    private static Dictionary<string, object?> TaskEvent(string operation, Dictionary<string, object?>? snapshot)
    {
        var e = new Dictionary<string, object?> { ["id"] = "1", ["timestamp"] = "0.0", ["class"] = "task", ["operation"] = operation, ["ref"] = TaskRef };
        if (snapshot is not null)
        {
            e["snapshot"] = snapshot;
        }

        return e;
    }

    [Theory]
    [InlineData(XenApiProtocol.JsonRpc)]
    [InlineData(XenApiProtocol.XmlRpc)]
    public async Task WaitForTask_WatchesWithEventFrom_AndParsesTheXmlRpcResult(XenApiProtocol protocol)
    {
        var polls = 0;
        await using var xapi = new FakeXapi(FakeScripts.Xapi(call => call.Method switch
        {
            "Async.VM.snapshot" => FakeRpcResult.Ok(TaskRef),
            "event.from" => Interlocked.Increment(ref polls) == 1
                ? FakeRpcResult.Ok(Batch("00000000000000000001,00000000000000000001", TaskEvent("add", TaskSnapshot("pending"))))
                : FakeRpcResult.Ok(Batch("00000000000000000002,00000000000000000002", TaskEvent("mod", TaskSnapshot("success", "<value>OpaqueRef:snap</value>")))),
            "task.destroy" => FakeRpcResult.Ok(null),
            _ => null,
        }));
        await using var session = await FakeScripts.ConnectAsync(xapi, protocol);

        var task = await session.Vm.BeginSnapshotAsync(new XenRef<VmRecord>("OpaqueRef:vm"), "backup", CancellationToken.None);
        var snapshot = await session.WaitForTaskAsync<XenRef<VmRecord>>(task, CancellationToken.None);

        snapshot.OpaqueRef.ShouldBe("OpaqueRef:snap");
        var eventCalls = xapi.Calls.Where(c => c.Method == "event.from").ToArray();
        eventCalls.Length.ShouldBe(2);
        eventCalls[0].Params[1].ShouldBe(new List<object?> { "task/" + TaskRef });
        eventCalls[0].Text(2).ShouldBe(string.Empty);
        eventCalls[1].Text(2).ShouldBe("00000000000000000001,00000000000000000001");
        var timeout = eventCalls[0].Params[3].ShouldBeOfType<double>();
        timeout.ShouldBe(1.1, 1e-9);
        (timeout % 1).ShouldNotBe(0);
        if (protocol == XenApiProtocol.XmlRpc)
        {
            eventCalls[0].RawBody.ShouldContain("<double>1.1</double>");
        }

        xapi.Calls.Single(c => c.Method == "task.destroy").Params[1].ShouldBe(TaskRef);
    }

    [Fact]
    public async Task WaitForTask_Failure_ThrowsErrorInfo()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(call => call.Method switch
        {
            "event.from" => FakeRpcResult.Ok(Batch("1", TaskEvent("mod", TaskSnapshot("failure", errorInfo: ["VM_BAD_POWER_STATE", "OpaqueRef:vm", "halted", "running"])))),
            "task.destroy" => FakeRpcResult.Ok(null),
            _ => null,
        }));
        await using var session = await FakeScripts.ConnectAsync(xapi);

        var e = await Should.ThrowAsync<XenApiException>(() => session.WaitForTaskAsync(new XenRef<TaskRecord>(TaskRef), CancellationToken.None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.VmBadPowerState);
        e.ErrorParameters.ShouldBe(["OpaqueRef:vm", "halted", "running"]);
        xapi.Methods.ShouldContain("task.destroy");
    }

    [Fact]
    public async Task WaitForTask_VoidResult_IsNull()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(call => call.Method switch
        {
            "event.from" => FakeRpcResult.Ok(Batch("1", TaskEvent("mod", TaskSnapshot("success", string.Empty)))),
            _ => FakeRpcResult.Ok(null),
        }));
        await using var session = await FakeScripts.ConnectAsync(xapi);

        var result = await session.WaitForTaskAsync(new XenRef<TaskRecord>(TaskRef), CancellationToken.None);

        result.ShouldBeNull();
    }

    [Fact]
    public async Task WaitForTask_NoEventForTask_FallsBackToTheRecord()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(call => call.Method switch
        {
            "event.from" => FakeRpcResult.Ok(Batch("7")),
            "task.get_record" => FakeRpcResult.Ok(TaskSnapshot("success", "<value><array><data><value>OpaqueRef:a</value></data></array></value>")),
            _ => FakeRpcResult.Ok(null),
        }));
        await using var session = await FakeScripts.ConnectAsync(xapi);

        var refs = await session.WaitForTaskAsync<IReadOnlyList<XenRef<VmRecord>>>(new XenRef<TaskRecord>(TaskRef), CancellationToken.None);

        refs.Single().OpaqueRef.ShouldBe("OpaqueRef:a");
    }

    [Fact]
    public async Task WaitForTask_TaskDeleted_ThrowsHandleInvalid()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(call => call.Method switch
        {
            "event.from" => FakeRpcResult.Ok(Batch("1", TaskEvent("del", null))),
            _ => FakeRpcResult.Ok(null),
        }));
        await using var session = await FakeScripts.ConnectAsync(xapi);

        var e = await Should.ThrowAsync<XenApiException>(() => session.WaitForTaskAsync(new XenRef<TaskRecord>(TaskRef), CancellationToken.None));

        e.ErrorCode.ShouldBe(XenApiErrorCodes.HandleInvalid);
    }

    [Fact]
    public async Task WaitForTask_Cancelled_SendsTaskCancel_ThenThrows()
    {
        await using var xapi = new FakeXapi(FakeScripts.Xapi(call => call.Method switch
        {
            "event.from" => Pending(),
            "task.get_record" => FakeRpcResult.Ok(TaskSnapshot("pending")),
            "task.cancel" => FakeRpcResult.Ok(null),
            _ => null,
        }));
        await using var session = await FakeScripts.ConnectAsync(xapi);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Should.ThrowAsync<OperationCanceledException>(() => session.WaitForTaskAsync(new XenRef<TaskRecord>(TaskRef), cancellation.Token));

        var cancel = xapi.Calls.Single(c => c.Method == "task.cancel");
        cancel.Params[1].ShouldBe(TaskRef);
        xapi.Methods.ShouldNotContain("task.destroy");

        static FakeRpcResult Pending()
        {
            Thread.Sleep(50);
            return FakeRpcResult.Ok(Batch("1", TaskEvent("mod", TaskSnapshot("pending"))));
        }
    }

    [Fact]
    public async Task WaitForTask_EventsLost_RestartsWithEmptyToken()
    {
        var calls = 0;
        await using var xapi = new FakeXapi(FakeScripts.Xapi(call => call.Method switch
        {
            "event.from" => Interlocked.Increment(ref calls) switch
            {
                1 => FakeRpcResult.Ok(Batch("5", TaskEvent("add", TaskSnapshot("pending")))),
                2 => FakeRpcResult.Error("EVENTS_LOST"),
                _ => FakeRpcResult.Ok(Batch("9", TaskEvent("mod", TaskSnapshot("success", "<value>OpaqueRef:x</value>")))),
            },
            _ => FakeRpcResult.Ok(null),
        }));
        await using var session = await FakeScripts.ConnectAsync(xapi);

        var result = await session.WaitForTaskAsync<string>(new XenRef<TaskRecord>(TaskRef), CancellationToken.None);

        result.ShouldBe("OpaqueRef:x");
        xapi.Calls.Where(c => c.Method == "event.from").Select(c => c.Text(2)).ShouldBe(["", "5", ""]);
    }
}
