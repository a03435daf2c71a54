namespace XapiSim.DataPlane;

/// <summary>What <see cref="OvaXmlBuilder"/> walks and how it rewrites records (export.ml's parameters).</summary>
internal sealed record ExportOptions
{
    /// <summary>Keep power state, suspend VDI and attachment flags (<c>preserve_power_state=true</c>).</summary>
    public bool PreservePowerState { get; init; }

    /// <summary>Include the VM's snapshots and keep snapshot fields (metadata export with <c>export_snapshots</c>).</summary>
    public bool IncludeSnapshots { get; init; }

    /// <summary>Follow <c>sm_config["vhd-parent"]</c> to parent VDIs.</summary>
    public bool IncludeVhdParents { get; init; }

    /// <summary>Device classes left out: <c>vif</c>, <c>vbd</c>, <c>vgpu</c>, <c>vtpm</c>.</summary>
    public IReadOnlySet<string> ExcludedDevices { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
}
