using VmBackup.TestKit;
using VmBackup.Xapi.Events;
using VmBackup.Xapi.Records;

namespace VmBackup.Xapi.Tests.Simulator;

public sealed class SimulatorMethodTests
{
    public static TheoryData<XenApiProtocol> Protocols => SimulatorSession.Protocols;

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task GetAllRecords_EveryClass_IsTypedAndConsistent(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);
        var ct = CancellationToken.None;

        var pools = await session.Pool.GetAllRecordsAsync(ct);
        var hosts = await session.Host.GetAllRecordsAsync(ct);
        var vms = await session.Vm.GetAllRecordsAsync(ct);
        var vbds = await session.Vbd.GetAllRecordsAsync(ct);
        var vdis = await session.Vdi.GetAllRecordsAsync(ct);
        var srs = await session.Sr.GetAllRecordsAsync(ct);
        var vifs = await session.Vif.GetAllRecordsAsync(ct);
        var networks = await session.Network.GetAllRecordsAsync(ct);
        var metrics = await session.VmMetrics.GetAllRecordsAsync(ct);
        await session.Tasks.GetAllRecordsAsync(ct);

        var pool = pools.Values.Single();
        pool.NameLabel.ShouldBe("pool-demo");
        hosts.Keys.ShouldContain(pool.Master);
        hosts[pool.Master].ApiVersionMajor.ShouldBe(2);
        srs[pool.DefaultSr].NameLabel.ShouldBe("NFS shared");
        hosts.Count.ShouldBe(2);

        var (webRef, web) = vms.Single(v => v.Value.NameLabel == "PROD-web");
        web.PowerState.ShouldBe(VmPowerState.Running);
        web.Tags.ShouldBe(["prod", "web"], ignoreOrder: true);
        web.MemoryStaticMax.ShouldBe(2L * 1024 * 1024 * 1024);
        web.Snapshots.Count.ShouldBe(1);
        vms[web.Snapshots[0]].IsASnapshot.ShouldBeTrue();
        vms[web.Snapshots[0]].SnapshotOf.ShouldBe(webRef);
        metrics.Keys.ShouldContain(web.Metrics);

        var disk = web.Vbds.Select(v => vbds[v]).Single(v => v.Type == VbdType.Disk);
        disk.Vm.ShouldBe(webRef);
        vdis[disk.Vdi].VirtualSize.ShouldBe(128L * 1024 * 1024);
        vdis[disk.Vdi].Vbds.ShouldContain(web.Vbds.First(v => vbds[v].Type == VbdType.Disk));
        srs[vdis[disk.Vdi].Sr].Vdis.ShouldContain(disk.Vdi);
        web.Vbds.Select(v => vbds[v]).ShouldContain(v => v.Type == VbdType.CD);

        var vif = vifs[web.Vifs.Single()];
        networks[vif.Network].Bridge.ShouldBe("xenbr0");
        vms.Values.ShouldContain(v => v.IsControlDomain);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task GetByUuid_GetRecord_FieldsAndMaps(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);
        var ct = CancellationToken.None;
        var vm = await SimulatorSession.VmAsync(session, "DEV-test");

        var uuid = await session.Vm.GetUuidAsync(vm, ct);
        (await session.Vm.GetByUuidAsync(uuid, ct)).ShouldBe(vm);
        (await session.Vm.GetRecordAsync(vm, ct)).Uuid.ShouldBe(uuid);
        (await session.Vm.GetPowerStateAsync(vm, ct)).ShouldBe(VmPowerState.Halted);
        (await session.Vm.GetFieldAsync<long>(vm, "memory_static_max", ct)).ShouldBe(1024L * 1024 * 1024);

        await session.Vm.SetNameDescriptionAsync(vm, "described <&> here", ct);
        (await session.Vm.GetNameDescriptionAsync(vm, ct)).ShouldBe("described <&> here");

        await session.Vm.AddToOtherConfigAsync(vm, "vmbackup", "yes", ct);
        (await session.Vm.GetOtherConfigAsync(vm, ct))["vmbackup"].ShouldBe("yes");
        await session.Vm.SetMapEntryAsync(vm, "other_config", "vmbackup", "again", ct);
        (await session.Vm.GetOtherConfigAsync(vm, ct))["vmbackup"].ShouldBe("again");
        await session.Vm.RemoveFromOtherConfigAsync(vm, "vmbackup", ct);
        (await session.Vm.GetOtherConfigAsync(vm, ct)).ContainsKey("vmbackup").ShouldBeFalse();

        await session.Vm.SetOtherConfigAsync(vm, new Dictionary<string, string> { ["a"] = "1" }, ct);
        (await session.Vm.GetRecordAsync(vm, ct)).OtherConfig.ToDictionary().ShouldBe(new Dictionary<string, string> { ["a"] = "1" });
        (await session.Vm.GetByNameLabelAsync("no such VM", ct)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Snapshot_ThenDestroy(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);
        var ct = CancellationToken.None;
        var vm = await SimulatorSession.VmAsync(session, "PROD-db");

        var snapshot = await session.Vm.SnapshotAsync(vm, "backup-1", ct);

        var record = await session.Vm.GetRecordAsync(snapshot, ct);
        record.IsASnapshot.ShouldBeTrue();
        record.IsATemplate.ShouldBeTrue();
        record.SnapshotOf.ShouldBe(vm);
        record.PowerState.ShouldBe(VmPowerState.Halted);
        (await session.Vm.GetSnapshotsAsync(vm, ct)).ShouldContain(snapshot);
        var snapshotVdis = new List<XenRef<VdiRecord>>();
        foreach (var vbd in record.Vbds)
        {
            var vbdRecord = await session.Vbd.GetRecordAsync(vbd, ct);
            if (vbdRecord.Type == VbdType.Disk)
            {
                snapshotVdis.Add(vbdRecord.Vdi);
                (await session.Vdi.GetRecordAsync(vbdRecord.Vdi, ct)).IsASnapshot.ShouldBeTrue();
            }
        }

        snapshotVdis.Count.ShouldBe(2);
        await session.Vm.DestroyAsync(snapshot, ct);
        foreach (var vdi in snapshotVdis)
        {
            await session.Vdi.DestroyAsync(vdi, ct);
        }

        (await Should.ThrowAsync<XenApiException>(() => session.Vm.GetRecordAsync(snapshot, ct))).ErrorCode.ShouldBe(XenApiErrorCodes.HandleInvalid);
        (await Should.ThrowAsync<XenApiException>(() => session.Vdi.GetRecordAsync(snapshotVdis[0], ct))).ErrorCode.ShouldBe(XenApiErrorCodes.HandleInvalid);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task AsyncSnapshot_WaitedThroughEventFrom(XenApiProtocol protocol)
    {
        var trace = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await XenApiSession.ConnectAsync(sim.HttpUri, sim.Credentials.User, sim.Credentials.Password,
            SimulatorSession.Options(protocol) with { Trace = trace.Enqueue }, CancellationToken.None);
        var vm = await SimulatorSession.VmAsync(session, "PROD-web");

        var task = await session.Vm.BeginSnapshotAsync(vm, "async-backup", CancellationToken.None);
        var snapshot = await session.WaitForTaskAsync<XenRef<VmRecord>>(task, CancellationToken.None);

        (await session.Vm.GetRecordAsync(snapshot, CancellationToken.None)).NameLabel.ShouldBe("async-backup");
        trace.ShouldContain(line => line.StartsWith("event.from ", StringComparison.Ordinal));
        (await Should.ThrowAsync<XenApiException>(() => session.Tasks.GetRecordAsync(task, CancellationToken.None))).ErrorCode.ShouldBe(XenApiErrorCodes.HandleInvalid);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Checkpoint_CloneTemplateStartShutdown(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);
        var ct = CancellationToken.None;

        var web = await SimulatorSession.VmAsync(session, "PROD-web");
        var checkpoint = await session.WaitForTaskAsync<XenRef<VmRecord>>(await session.Vm.BeginCheckpointAsync(web, "cp", ct), ct);
        var checkpointRecord = await session.Vm.GetRecordAsync(checkpoint, ct);
        checkpointRecord.PowerState.ShouldBe(VmPowerState.Suspended);
        checkpointRecord.SuspendVdi.IsNull.ShouldBeFalse();

        var dev = await SimulatorSession.VmAsync(session, "DEV-test");
        var clone = await session.Vm.CloneAsync(dev, "DEV-test clone", ct);
        var clone2 = await session.WaitForTaskAsync<XenRef<VmRecord>>(await session.Vm.BeginCloneAsync(dev, "DEV-test clone 2", ct), ct);
        clone2.ShouldNotBe(clone);
        await session.Vm.SetIsATemplateAsync(clone, true, ct);
        (await session.Vm.GetRecordAsync(clone, ct)).IsATemplate.ShouldBeTrue();
        await session.Vm.SetIsATemplateAsync(clone, false, ct);

        await session.Vm.StartAsync(clone, false, false, ct);
        (await session.Vm.GetPowerStateAsync(clone, ct)).ShouldBe(VmPowerState.Running);
        await session.Vm.CleanShutdownAsync(clone, ct);
        (await session.Vm.GetPowerStateAsync(clone, ct)).ShouldBe(VmPowerState.Halted);
        await session.WaitForTaskAsync(await session.Vm.BeginStartAsync(clone, false, false, ct), ct);
        await session.WaitForTaskAsync(await session.Vm.BeginHardShutdownAsync(clone, ct), ct);
        (await session.Vm.GetPowerStateAsync(clone, ct)).ShouldBe(VmPowerState.Halted);
        await session.Vm.StartAsync(clone, false, false, ct);
        await session.Vm.HardShutdownAsync(clone, ct);
        await session.WaitForTaskAsync(await session.Vm.BeginDestroyAsync(clone2, ct), ct);
        await session.Vm.DestroyAsync(clone, ct);
        (await session.Vm.GetByNameLabelAsync("DEV-test clone", ct)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task VdiAndVbd_CreateSnapshotCbtDestroy(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);
        var ct = CancellationToken.None;
        var sr = (await session.Sr.GetByNameLabelAsync("NFS shared", ct)).Single();
        var vm = await SimulatorSession.VmAsync(session, "DEV-test");

        var vdi = await session.Vdi.CreateAsync(new VdiCreateSpec { NameLabel = "scratch", Sr = sr, VirtualSize = 8L * 1024 * 1024 * 1024, OtherConfig = new Dictionary<string, string> { ["k"] = "v" } }, ct);
        var vdiRecord = await session.Vdi.GetRecordAsync(vdi, ct);
        vdiRecord.VirtualSize.ShouldBe(8L * 1024 * 1024 * 1024);
        vdiRecord.Type.ShouldBe(VdiType.User);
        vdiRecord.Sr.ShouldBe(sr);

        var vbd = await session.Vbd.CreateAsync(new VbdCreateSpec { Vm = vm, Vdi = vdi, Userdevice = "3", OtherConfig = new Dictionary<string, string> { ["owner"] = "true" } }, ct);
        var vbdRecord = await session.Vbd.GetRecordAsync(vbd, ct);
        vbdRecord.Vm.ShouldBe(vm);
        vbdRecord.Vdi.ShouldBe(vdi);
        vbdRecord.Mode.ShouldBe(VbdMode.ReadWrite);
        vbdRecord.OtherConfig.ContainsKey("owner").ShouldBeTrue();
        (await session.Vm.GetVbdsAsync(vm, ct)).ShouldContain(vbd);

        await session.Vdi.EnableCbtAsync(vdi, ct);
        (await session.Vdi.GetRecordAsync(vdi, ct)).CbtEnabled.ShouldBeTrue();
        var first = await session.Vdi.SnapshotAsync(vdi, ct);
        var second = await session.WaitForTaskAsync<XenRef<VdiRecord>>(await session.Vdi.BeginSnapshotAsync(vdi, ct), ct);
        var bitmap = await session.Vdi.ListChangedBlocksAsync(first, second, ct);
        bitmap.Length.ShouldBe((int)(8L * 1024 * 1024 * 1024 / (64 * 1024) / 8));

        await session.Vdi.DataDestroyAsync(first, ct);
        (await session.Vdi.GetRecordAsync(first, ct)).Type.ShouldBe(VdiType.CbtMetadata);
        var e = await Should.ThrowAsync<XenApiException>(() => session.Vdi.SnapshotAsync(first, ct));
        e.ErrorCode.ShouldBe("VDI_INCOMPATIBLE_TYPE");

        await session.Vdi.DisableCbtAsync(vdi, ct);
        (await session.Vdi.GetRecordAsync(vdi, ct)).CbtEnabled.ShouldBeFalse();
        await session.WaitForTaskAsync(await session.Vbd.BeginDestroyAsync(vbd, ct), ct);
        (await session.Vm.GetVbdsAsync(vm, ct)).ShouldNotContain(vbd);
        await session.Vdi.DestroyAsync(first, ct);
        await session.WaitForTaskAsync(await session.Vdi.BeginDestroyAsync(second, ct), ct);
        await session.Vdi.DestroyAsync(vdi, ct);
        (await session.Vdi.GetByNameLabelAsync("scratch", ct)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task TaskCreate_WaitCancelled_SendsCancel(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);
        var task = await session.Tasks.CreateAsync("client transfer", "driven by the test", CancellationToken.None);
        (await session.Tasks.GetStatusAsync(task, CancellationToken.None)).ShouldBe(XenTaskStatus.Pending);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Should.ThrowAsync<OperationCanceledException>(() => session.WaitForTaskAsync(task, cancellation.Token));

        var status = await session.Tasks.GetStatusAsync(task, CancellationToken.None);
        status.ShouldBeOneOf(XenTaskStatus.Cancelled, XenTaskStatus.Cancelling, XenTaskStatus.Failure);
        (await session.Tasks.GetErrorInfoAsync(task, CancellationToken.None)).ShouldContain("TASK_CANCELLED");
        await session.Tasks.DestroyAsync(task, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task EventInject_ThenFrom_SeesTheObject(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);
        var ct = CancellationToken.None;
        var pool = (await session.Pool.GetAllAsync(ct)).Single();

        var initial = await session.Events.FromAsync(["pool"], string.Empty, TimeSpan.FromSeconds(1), ct);
        initial.Token.ShouldNotBeNullOrEmpty();
        initial.Events.ShouldContain(e => e.OpaqueRef == pool.OpaqueRef && e.ClassName == "pool");

        var injected = await session.Events.InjectAsync("pool", pool, ct);
        injected.ShouldNotBeNullOrEmpty();
        var next = await session.Events.FromAsync(["pool"], initial.Token, TimeSpan.FromSeconds(5), ct);

        var change = next.Events.ShouldHaveSingleItem();
        change.Operation.ShouldBe(XenEventOperation.Mod);
        change.SnapshotAs<PoolRecord>()!.NameLabel.ShouldBe("pool-demo");
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task TaskProgressAndResultFields(XenApiProtocol protocol)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        await using var session = await SimulatorSession.ConnectAsync(sim, protocol);
        var ct = CancellationToken.None;
        var task = await session.Tasks.CreateAsync("progress", string.Empty, ct);

        await session.Tasks.SetProgressAsync(task, 0.25, ct);

        (await session.Tasks.GetProgressAsync(task, ct)).ShouldBe(0.25, 1e-9);
        (await session.Tasks.GetResultAsync(task, ct)).ShouldBe(string.Empty);
        (await session.Tasks.GetByNameLabelAsync("progress", ct)).ShouldContain(task);
        await session.Tasks.CancelAsync(task, ct);
        await session.Tasks.DestroyAsync(task, ct);
    }
}
