namespace VmBackup.Core.Dr;

/// <summary>The outcome of <see cref="DrRecovery.RunAsync"/>: the SRs it introduced and forgot, one entry per VM and vApp, the failures.</summary>
public sealed class DrRunResult
{
    /// <summary>What was asked.</summary>
    public required DrFailoverMode Mode { get; init; }

    /// <summary>Only the plan was printed.</summary>
    public required bool DryRun { get; init; }

    /// <summary>The SRs of the storage chosen, as "name (uuid)", with what happened to them ("to introduce", "already attached", "introduced", "forgotten").</summary>
    public List<(string Name, string Uuid, string State)> Srs { get; } = [];

    /// <summary>One entry per VM and vApp of the plan.</summary>
    public List<DrItemResult> Items { get; } = [];

    /// <summary>Names given with <c>--vm</c>/<c>--appliance</c> that no metadata holds.</summary>
    public List<string> NotFound { get; } = [];

    /// <summary>VMs and vApps not recovered (conflicts, missing SRs, failures) or failing a check, and names not found.</summary>
    public int Failures => NotFound.Count + Items.Count(i => i.Action == "skip" || i.Error is not null || i.CheckFailed);
}
