using System.Diagnostics;
using VmBackup.TestKit;
using VmBackup.Xapi.Transfers;
using XapiSim.DataPlane;

namespace VmBackup.Cli.Tests;

/// <summary><c>vmbackup PASSWORD CONFIG</c> really backs VMs up: end to end against XapiSim's sample pool.</summary>
public sealed class NauBackupRunTests : IDisposable
{
    private readonly NauBackupHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task VmExport_WritesV325LayoutMarkerStatusLogAndRemovesTheSnapshot()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var before = NauBackupHarness.PoolLeftovers(sim);

        var (exit, lines) = await _h.RunConfigAsync(sim, "vm-export=PROD-db");

        exit.ShouldBe(0, string.Join('\n', lines));
        var folder = Path.Combine(_h.VmDir("PROD-db"), _h.BackupFolders("PROD-db").ShouldHaveSingleItem());
        Path.GetFileName(folder).ShouldBe("backup-2024-03-09-(01:02:03)");
        Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(["PROD-db.xva", "success", "vm-metadata.xml"]);
        File.ReadAllText(Path.Combine(folder, "vm-metadata.xml")).ShouldStartWith("<?xml version=\"1.0\"");
        var vbd = File.ReadAllLines(Path.Combine(folder, "DISK-xvdb", "vbd.cfg"));
        vbd.Select(l => l.Split('=')[0]).ShouldBe(["userdevice", "bootable", "mode", "type", "unpluggable", "empty", "orig_uuid"]);
        vbd.ShouldContain("userdevice=1");
        vbd.ShouldContain("type=Disk");
        vbd.ShouldContain("mode=RW");
        var vdi = File.ReadAllLines(Path.Combine(folder, "DISK-xvda", "vdi.cfg"));
        vdi.ShouldContain($"virtual_size={64L << 20}");
        vdi.ShouldContain("type=system");
        vdi.ShouldContain("name_label=PROD-db 0");
        File.ReadAllLines(Path.Combine(folder, "VIFs", "vif-1.cfg")).ShouldContain("network_name_label=Backup network");
        File.Exists(Path.Combine(folder, "VIFs", "vif-0.cfg")).ShouldBeTrue();
        new FileInfo(Path.Combine(folder, "PROD-db.xva")).Length.ShouldBeGreaterThan(1L << 20);

        lines.ShouldContain("VmBackup running on xs1 ...");
        lines.ShouldContain("Success: backup directory area is writable");
        lines.ShouldContain("*** vm-export begin PROD-db");
        lines.ShouldContain("vm-export - vm_name: PROD-db max_backups: 4");
        lines.ShouldContain("check for prev-vm-snapshot: RESTORE_PROD-db");
        lines.ShouldContain(l => l.StartsWith("1.cmd: VM.snapshot vm=", StringComparison.Ordinal) && l.EndsWith(" new_name=\"RESTORE_PROD-db\"", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("4.cmd: vm-uninstall uuid=", StringComparison.Ordinal));
        lines.ShouldContain("vm is running");
        lines.ShouldContain($"*** success: {folder}/PROD-db.xva : 0G");
        lines.ShouldContain("VmBackup vm-export PROD-db - ***Success*** t:0");
        lines[^1].ShouldBe("VmBackup ended - Success - S:1 W:0 E:0");

        // Not a terminal: progress comes as log lines.
        lines.ShouldContain("progress: PROD-db vm-export started, disks 320.0 MiB");
        lines.ShouldContain(l => l.StartsWith("progress: PROD-db done, ", StringComparison.Ordinal) && l.EndsWith(" MiB/s)", StringComparison.Ordinal));

        var status = File.ReadAllLines(_h.StatusLog);
        status.Length.ShouldBe(4);
        status[0].ShouldBe("2024/03/09 01:02:03,vmbackup.py,xs1,begin");
        status[1].ShouldBe("2024/03/09 01:02:03,vm-export,xs1,begin,PROD-db");
        status[2].ShouldBe("2024/03/09 01:02:03,vm-export,xs1,end,SUCCESS PROD-db,elapse:0 size:0G");
        status[3].ShouldBe("2024/03/09 01:02:03,vmbackup.py,xs1,end,SUCCESS,S:1 W:0 E:0");
        NauBackupHarness.PoolLeftovers(sim).ShouldBe(before);
    }

    [Fact]
    public async Task VmExport_TheXvaImportsBackWithIdenticalDisks()
    {
        await using var sim = await SimulatorFixture.StartAsync();

        var (exit, _) = await _h.RunConfigAsync(sim, "vm-export=PROD-db");

        exit.ShouldBe(0);
        var xva = Path.Combine(_h.VmDir("PROD-db"), _h.BackupFolders("PROD-db")[0], "PROD-db.xva");
        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var transfers = new XenApiTransfers(session);
        IReadOnlyList<VmBackup.Xapi.XenRef<VmBackup.Xapi.Records.VmRecord>> imported;
        await using (var file = File.OpenRead(xva))
        {
            imported = await transfers.ImportVmAsync(file, file.Length, null, restore: false, force: false, null, CancellationToken.None);
        }

        var copy = imported.ShouldHaveSingleItem();
        (await session.Vm.GetRecordAsync(copy, CancellationToken.None)).IsATemplate.ShouldBeFalse();
        var source = await NauBackupHarness.DisksAsync(session, await NauBackupHarness.VmAsync(session, "PROD-db"));
        var restored = await NauBackupHarness.DisksAsync(session, copy);
        restored.Count.ShouldBe(2);
        source.Count.ShouldBe(2);
        for (var i = 0; i < source.Count; i++)
        {
            (await NauBackupHarness.RawSha256Async(session, restored[i])).ShouldBe(await NauBackupHarness.RawSha256Async(session, source[i]));
        }
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("vhd")]
    public async Task VdiExport_WritesTheXvdaDiskThatConvertsBackToTheSameRawImage(string format)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        var before = NauBackupHarness.PoolLeftovers(sim);

        var (exit, lines) = await _h.RunConfigAsync(sim, "vdi-export=DEV-test", "vdi_export_format=" + format);

        exit.ShouldBe(0, string.Join('\n', lines));
        var folder = Path.Combine(_h.VmDir("DEV-test"), _h.BackupFolders("DEV-test").ShouldHaveSingleItem());
        var data = Path.Combine(folder, "DEV-test." + format);
        NauBackupHarness.IsSuccessful(folder).ShouldBeTrue();
        lines.ShouldContain("check for prev-vdi-snapshot: SNAP_DEV-test_" + DiskLabel(sim, "DEV-test").Replace(' ', '-'));
        lines.ShouldContain("vdi-export success");
        lines.ShouldContain(l => l.StartsWith("4.cmd: GET /export_raw_vdi format=" + format, StringComparison.Ordinal));
        lines[^1].ShouldBe("VmBackup ended - Success - S:1 W:0 E:0");
        NauBackupHarness.PoolLeftovers(sim).ShouldBe(before);

        await using var session = await NauBackupHarness.ConnectAsync(sim);
        var disk = (await NauBackupHarness.DisksAsync(session, await NauBackupHarness.VmAsync(session, "DEV-test")))[0];
        var expected = await NauBackupHarness.RawSha256Async(session, disk);
        string raw;
        if (format == "raw")
        {
            new FileInfo(data).Length.ShouldBe(64L << 20);
            raw = data;
        }
        else
        {
            (await QemuImgAsync("info", "-f", "vpc", data)).ShouldContain("file format: vpc");
            raw = Path.Combine(_h.Root, "converted.raw");
            // qemu sizes a VHD by its CHS geometry unless told to use the footer's current size.
            await QemuImgAsync("convert", "--image-opts", $"driver=vpc,force_size_calc=current_size,file.filename={data}", "-O", "raw", raw);
            new FileInfo(raw).Length.ShouldBe(64L << 20);
        }

        (await NauBackupHarness.FileSha256Async(raw)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("True", ".xva.gz", new byte[] { 0x1f, 0x8b })]
    [InlineData("zstd", ".xva.zst", new byte[] { 0x28, 0xb5, 0x2f, 0xfd })]
    public async Task Compress_WritesTheCompressedXva(string compress, string extension, byte[] magic)
    {
        await using var sim = await SimulatorFixture.StartAsync();

        var (exit, lines) = await _h.RunAsync(sim, sim.Credentials.Password, _h.Config("vm-export=DEV-test"), ["compress=" + compress]);

        exit.ShouldBe(0, string.Join('\n', lines));
        var folder = Path.Combine(_h.VmDir("DEV-test"), _h.BackupFolders("DEV-test").ShouldHaveSingleItem());
        var data = Path.Combine(folder, "DEV-test" + extension);
        var head = new byte[magic.Length];
        await using (var file = File.OpenRead(data))
        {
            await file.ReadExactlyAsync(head);
        }

        head.ShouldBe(magic);
        File.Exists(Path.Combine(folder, "DEV-test.xva")).ShouldBeFalse();
        lines.ShouldContain(l => l.StartsWith("3.cmd: GET /export", StringComparison.Ordinal) && l.EndsWith(" compress=" + compress.ToLowerInvariant(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task PoolDbBackup_WritesAPrivateDumpInMetadataFolder()
    {
        await using var sim = await SimulatorFixture.StartAsync();

        var (exit, lines) = await _h.RunConfigAsync(sim, "pool_db_backup=1", "vdi-export=DEV-build");

        exit.ShouldBe(0, string.Join('\n', lines));
        var dump = Path.Combine(_h.BackupDir, "METADATA_xs1", "pool_db_20240309-010203.dump");
        File.Exists(dump).ShouldBeTrue();
        File.ReadAllText(dump).ShouldContain("<database");
        (OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(dump))
            .ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        lines.ShouldContain("*** begin backup_pool_metadata ***");
        Directory.GetFiles(Path.Combine(_h.BackupDir, "METADATA_xs1")).Length.ShouldBe(1);
    }

    [Fact]
    public async Task Retention_MaxBackupsTwoOverThreeRuns_KeepsTheNewestTwo()
    {
        await using var sim = await SimulatorFixture.StartAsync();

        string[] last = [];
        for (var run = 0; run < 3; run++)
        {
            var (exit, lines) = await _h.RunConfigAsync(sim, "max_backups=2", "vdi-export=DEV-test");
            exit.ShouldBe(0, string.Join('\n', lines));
            last = lines;
        }

        _h.BackupFolders("DEV-test").ShouldBe(["backup-2024-03-09-(01:03:03)", "backup-2024-03-09-(01:04:03)"]);
        _h.BackupFolders("DEV-test").ShouldAllBe(f => NauBackupHarness.IsSuccessful(Path.Combine(_h.VmDir("DEV-test"), f)));
        last.ShouldContain($"Deleting oldest backup {_h.VmDir("DEV-test")}/backup-2024-03-09-(01:02:03) ");
    }

    [Fact]
    public async Task PreClean_DeletesTheOldestBeforeTheSnapshot_EvenWhenTheExportThenFails()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        for (var run = 0; run < 2; run++)
        {
            (await _h.RunConfigAsync(sim, "max_backups=2", "vm-export=DEV-test")).Exit.ShouldBe(0);
        }

        TransferFaults.For(sim.Simulator.Pool).FailTaskWith = ["SR_BACKEND_FAILURE_44", "", "insufficient space"];
        var (exit, lines) = await _h.RunAsync(sim, sim.Credentials.Password, _h.Config("max_backups=2", "vm-export=DEV-test"), ["pre_clean=True"]);

        exit.ShouldBe(2);
        var vmDir = _h.VmDir("DEV-test");
        lines.ShouldContain($"success identifying directory : {vmDir} ");
        lines.ShouldContain("pre_VM_max_backups: 1 ");
        lines.ShouldContain($"Deleting oldest backup {vmDir}/backup-2024-03-09-(01:02:03) ");
        Array.IndexOf(lines, $"Deleting oldest backup {vmDir}/backup-2024-03-09-(01:02:03) ")
            .ShouldBeLessThan(Array.FindIndex(lines, l => l.StartsWith("1.cmd:", StringComparison.Ordinal)));
        _h.BackupFolders("DEV-test").ShouldBe(["backup-2024-03-09-(01:03:03)", "backup-2024-03-09-(01:04:03)"]);
        NauBackupHarness.IsSuccessful(Path.Combine(vmDir, "backup-2024-03-09-(01:03:03)")).ShouldBeTrue();
        NauBackupHarness.IsSuccessful(Path.Combine(vmDir, "backup-2024-03-09-(01:04:03)")).ShouldBeFalse();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FailedExport_CountsAnErrorExitsTwoAndLeavesNothingBehind(bool cutConnection)
    {
        await using var sim = await SimulatorFixture.StartAsync();
        (await _h.RunConfigAsync(sim, "vm-export=DEV-test", "vm-export=DEV-build")).Exit.ShouldBe(0);
        var good = Path.Combine(_h.VmDir("DEV-test"), _h.BackupFolders("DEV-test")[0]);
        var goodHash = await NauBackupHarness.FileSha256Async(Path.Combine(good, "DEV-test.xva"));
        var before = NauBackupHarness.PoolLeftovers(sim);
        var faults = TransferFaults.For(sim.Simulator.Pool);
        if (cutConnection)
        {
            faults.CutExportAfterBytes = 5 << 20;
        }
        else
        {
            faults.FailTaskWith = ["VDI_IO_ERROR", "Device I/O errors"];
        }

        var (exit, lines) = await _h.RunConfigAsync(sim, "vm-export=DEV-test");

        exit.ShouldBe(2, string.Join('\n', lines));
        lines.ShouldContain(l => l.StartsWith("ERROR 3.cmd: GET /export uuid=", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("cleanup: removed snapshot ", StringComparison.Ordinal));
        lines.ShouldNotContain(l => l.StartsWith("VmBackup vm-export DEV-test", StringComparison.Ordinal));
        lines[^1].ShouldBe("VmBackup ended - **ERRORS DETECTED** - S:0 W:0 E:1");
        File.ReadAllLines(_h.StatusLog).ShouldContain(l => l.EndsWith(",vm-export,xs1,end,VM-EXPORT-FAIL DEV-test", StringComparison.Ordinal));
        File.ReadAllLines(_h.StatusLog)[^1].ShouldEndWith(",vmbackup.py,xs1,end,ERROR,S:0 W:0 E:1");
        NauBackupHarness.PoolLeftovers(sim).ShouldBe(before);

        var folders = _h.BackupFolders("DEV-test");
        folders.Length.ShouldBe(2);
        NauBackupHarness.IsSuccessful(good).ShouldBeTrue();
        (await NauBackupHarness.FileSha256Async(Path.Combine(good, "DEV-test.xva"))).ShouldBe(goodHash);
        var failed = Path.Combine(_h.VmDir("DEV-test"), folders[1]);
        NauBackupHarness.IsSuccessful(failed).ShouldBeFalse();
        Directory.GetFiles(failed).ShouldNotContain(f => f.EndsWith(".xva", StringComparison.Ordinal) || f.EndsWith(".partial", StringComparison.Ordinal));
        Directory.Exists(Path.Combine(failed, "DISK-xvda")).ShouldBeTrue();
    }

    [Fact]
    public async Task CancelledRun_RemovesTheSnapshot_MarksNothingSuccessful_AndTheNextRunCleansUp()
    {
        await using var sim = await SimulatorFixture.StartAsync();
        (await _h.RunConfigAsync(sim, "vm-export=DEV-test")).Exit.ShouldBe(0);
        var before = NauBackupHarness.PoolLeftovers(sim);
        var faults = TransferFaults.For(sim.Simulator.Pool);
        faults.StallAfterBytes = 2 << 20;
        faults.StallWithinBody = TimeSpan.FromSeconds(30);
        using var cancel = new CancellationTokenSource();
        var partial = Path.Combine(_h.VmDir("DEV-test"), "backup-2024-03-09-(01:03:03)", "DEV-test.xva.partial");

        var run = _h.RunAsync(sim, sim.Credentials.Password, _h.Config("vm-export=DEV-test"), [], cancel.Token);
        var waited = Stopwatch.StartNew();
        while (!File.Exists(partial) && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(20);
        }

        File.Exists(partial).ShouldBeTrue();
        await cancel.CancelAsync();
        var (exit, lines) = await run;

        exit.ShouldBe(2);
        lines[^1].ShouldBe("ERROR VmBackup cancelled - the current backup is incomplete and not marked successful");
        lines.ShouldContain(l => l.StartsWith("cleanup: removed snapshot ", StringComparison.Ordinal));

        // The simulator ends the abandoned export task when its stalled write notices the closed connection.
        for (var i = 0; i < 100 && NauBackupHarness.PoolLeftovers(sim) != before; i++)
        {
            await Task.Delay(100);
        }

        NauBackupHarness.PoolLeftovers(sim).ShouldBe(before, string.Join(", ", sim.Simulator.Database.Where("task", _ => true).Select(t => sim.Simulator.Database.GetString("task", t, "name_label") + ":" + sim.Simulator.Database.GetString("task", t, "status"))));
        var killed = Path.Combine(_h.VmDir("DEV-test"), "backup-2024-03-09-(01:03:03)");
        NauBackupHarness.IsSuccessful(killed).ShouldBeFalse();
        File.Exists(partial).ShouldBeFalse();

        // A process killed outright leaves its .partial file: the next run removes the failed folder with it.
        await File.WriteAllBytesAsync(partial, new byte[4096]);
        faults.Reset();
        var (nextExit, next) = await _h.RunConfigAsync(sim, "vm-export=DEV-test");

        nextExit.ShouldBe(0, string.Join('\n', next));
        next.ShouldContain($"Delete last **unsuccessful** backup {_h.VmDir("DEV-test")}/backup-2024-03-09-(01:03:03) ");
        Directory.Exists(killed).ShouldBeFalse();
        _h.BackupFolders("DEV-test").ShouldAllBe(f => NauBackupHarness.IsSuccessful(Path.Combine(_h.VmDir("DEV-test"), f)));
        _h.BackupFolders("DEV-test").Length.ShouldBe(2);
    }

    [Fact]
    public async Task ReadOnlyBackupDir_IsAFatalErrorBeforeAnyBackup()
    {
        // Tests may run as root, for whom file modes do not stop writes; /proc refuses new files to everyone.
        await using var sim = await SimulatorFixture.StartAsync();
        var before = NauBackupHarness.PoolLeftovers(sim);
        var config = Path.Combine(_h.Root, "ro.cfg");
        await File.WriteAllTextAsync(config, $"backup_dir=/proc\nstatus_log={_h.StatusLog}\nvm-export=DEV-test\n");

        var (exit, lines) = await _h.RunAsync(sim, sim.Credentials.Password, config, []);

        exit.ShouldBe(1);
        lines.ShouldContain("Check if backup directory /proc is writable ...");
        lines.ShouldContain("ERROR for cmd touch \"/proc/00VMbackupWriteTest\"");
        lines[^1].ShouldBe("ERROR failed to write to backup directory area - FATAL ERROR");
        File.ReadAllLines(_h.StatusLog).ShouldHaveSingleItem().ShouldEndWith(",vmbackup.py,xs1,begin");
        NauBackupHarness.PoolLeftovers(sim).ShouldBe(before);
    }

    [Fact]
    public async Task WrongPassword_ExitsOneWithoutTouchingAnything()
    {
        await using var sim = await SimulatorFixture.StartAsync();

        var (exit, lines) = await _h.RunAsync(sim, "wrong-password", _h.Config("vm-export=DEV-test"), []);

        exit.ShouldBe(1);
        lines.ShouldContain("ERROR - XenAPI authentication error");
        Directory.GetFileSystemEntries(_h.BackupDir).ShouldBeEmpty();
        File.Exists(_h.StatusLog).ShouldBeFalse();
    }

    private static string DiskLabel(SimulatorFixture sim, string vm)
    {
        var db = sim.Simulator.Database;
        var vmRef = db.FindByNameLabel("VM", vm).Single();
        var vbd = db.GetStrings("VM", vmRef, "VBDs").First(v => db.GetString("VBD", v, "device") == "xvda");
        return db.GetString("VDI", db.GetString("VBD", vbd, "VDI"), "name_label");
    }

    private static async Task<string> QemuImgAsync(params string[] args)
    {
        var start = new ProcessStartInfo("qemu-img") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, error);
        return output;
    }
}
