using System.CommandLine;
using VmBackup.Core.Dr;
using VmBackup.Xapi;

namespace VmBackup.Cli.Commands;

/// <summary>
/// <c>vmbackup dr enable|disable|status</c> (primary site), <c>vmbackup dr failover|test-failover</c> (secondary
/// site) and <c>vmbackup dr failback</c> (primary site again), see docs/disaster-recovery.md. Exit 0 when done, 1 for usage or connection errors, 2 when a VM was not
/// recovered (conflict, missing SR, failure) or a status warning was raised.
/// </summary>
internal static class DrCommand
{
    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        return new Command("dr", "Disaster recovery through metadata replicated onto storage-replicated SRs (XAPI DR)")
        {
            Primary("enable", "Write this pool's metadata onto the SRs (SR.enable_database_replication)", output, error, environment),
            Primary("disable", "Stop writing this pool's metadata onto the SRs", output, error, environment),
            Primary("status", "Which SRs carry this pool's metadata (--sr: only these), which VMs and vApps they protect, which are not covered", output, error, environment),
            Secondary("failover", "On the secondary pool: recover the VMs from the replicated metadata", output, error, environment),
            Secondary("test-failover", "On the secondary pool: recover the VMs without starting them, check their disks, remove them again", output, error, environment),
            Secondary("failback", "On the primary pool once it returns: recover the secondary's newer copies of the VMs over this pool's", output, error, environment),
        };
    }

    private static Command Primary(string name, string description, TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var connection = new ConnectionOptions(environment);
        var srs = new Option<string[]>("--sr") { Description = "SR (name label or uuid); repeat for several", AllowMultipleArgumentsPerToken = true, Required = name != "status" };
        var command = new Command(name, description) { srs };
        connection.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var session = await connection.ConnectAsync(result, error, cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return ExitCodes.UsageOrSetupError;
            }

            await using (session.ConfigureAwait(false))
            {
                var primary = new DrPrimary(session, line => output.WriteLine(line));
                try
                {
                    if (name == "status")
                    {
                        return await primary.StatusAsync(result.GetValue(srs) ?? [], cancellationToken).ConfigureAwait(false) == 0 ? ExitCodes.Success : ExitCodes.FinishedWithFailures;
                    }

                    await primary.SetReplicationAsync(result.GetValue(srs) ?? [], name == "enable", cancellationToken).ConfigureAwait(false);
                    return ExitCodes.Success;
                }
                catch (DrException e)
                {
                    await error.WriteLineAsync($"vmbackup dr {name}: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.UsageOrSetupError;
                }
                catch (Exception e) when (e is XenApiException or XenApiConnectionException)
                {
                    await error.WriteLineAsync($"vmbackup dr {name}: failed: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.FinishedWithFailures;
                }
            }
        });
        return command;
    }

    private static Command Secondary(string name, string description, TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var mode = name switch { "test-failover" => DrFailoverMode.TestFailover, "failback" => DrFailoverMode.Failback, _ => DrFailoverMode.Failover };
        var connection = new ConnectionOptions(environment);
        var type = new Option<string?>("--type") { Description = "Type of the replicated SRs to introduce first (lvmoiscsi, lvmohba), with --device-config" };
        var deviceConfig = new Option<string[]>("--device-config") { Description = "key=value of the storage's device configuration (target=, targetIQN=, SCSIid=...); repeat for several", AllowMultipleArgumentsPerToken = true };
        var deviceConfigFile = new Option<FileInfo?>("--device-config-file") { Description = "File of key=value lines added to --device-config (for CHAP passwords: keep them out of the process list)" };
        var srUuids = new Option<string[]>("--sr-uuid") { Description = "Only these SRs of the storage [default: every SR the probe finds]", AllowMultipleArgumentsPerToken = true };
        var srs = new Option<string[]>("--sr") { Description = "Only the metadata on these SRs of this pool (name label or uuid) [default: every SR]", AllowMultipleArgumentsPerToken = true };
        var vms = new Option<string[]>("--vm") { Description = "Only these VMs (name label or uuid); repeat for several", AllowMultipleArgumentsPerToken = true };
        var appliances = new Option<string[]>("--appliance") { Description = "Only these vApps (name label or uuid); repeat for several", AllowMultipleArgumentsPerToken = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan and change nothing" };
        var json = new Option<bool>("--json") { Description = "Print the plan and what was done as JSON on stdout (the progress lines go to stderr)" };
        var start = new Option<bool>("--start") { Description = "Start the recovered VMs, vApps in their start order" };
        var force = new Option<bool>("--force") { Description = "Replace a halted VM of this pool with the same uuid even when it is as recent as the metadata's copy (its disks are kept)" };
        var command = new Command(name, description) { srs, vms, appliances, dryRun, json };
        if (mode != DrFailoverMode.Failback)
        {
            command.Add(type);
            command.Add(deviceConfig);
            command.Add(deviceConfigFile);
            command.Add(srUuids);
        }

        if (mode != DrFailoverMode.TestFailover)
        {
            command.Add(start);
            command.Add(force);
        }

        connection.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            DrStorageTarget? storage;
            try
            {
                storage = DrStorageArguments.Parse(result.GetValue(type), result.GetValue(deviceConfig) ?? [], result.GetValue(deviceConfigFile), result.GetValue(srUuids) ?? []);
            }
            catch (DrException e)
            {
                await error.WriteLineAsync($"vmbackup dr {name}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.UsageOrSetupError;
            }

            var session = await connection.ConnectAsync(result, error, cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return ExitCodes.UsageOrSetupError;
            }

            await using (session.ConfigureAwait(false))
            {
                var options = new DrFailoverOptions
                {
                    Mode = mode,
                    DryRun = result.GetValue(dryRun),
                    Storage = storage,
                    Srs = result.GetValue(srs) ?? [],
                    Vms = result.GetValue(vms) ?? [],
                    Appliances = result.GetValue(appliances) ?? [],
                    Start = mode != DrFailoverMode.TestFailover && result.GetValue(start),
                    Force = mode != DrFailoverMode.TestFailover && result.GetValue(force),
                };
                try
                {
                    var asJson = result.GetValue(json);
                    var lines = asJson ? error : output;
                    var run = await new DrRecovery(session, line => lines.WriteLine(line)).RunAsync(options, cancellationToken).ConfigureAwait(false);
                    if (asJson)
                    {
                        await output.WriteLineAsync(DrResultJson.Write(run)).ConfigureAwait(false);
                    }

                    return run.Failures == 0 ? ExitCodes.Success : ExitCodes.FinishedWithFailures;
                }
                catch (DrException e)
                {
                    await error.WriteLineAsync($"vmbackup dr {name}: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.UsageOrSetupError;
                }
                catch (Exception e) when (e is XenApiException or XenApiConnectionException or HttpRequestException or InvalidDataException)
                {
                    await error.WriteLineAsync($"vmbackup dr {name}: failed: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.FinishedWithFailures;
                }
            }
        });
        return command;
    }
}
